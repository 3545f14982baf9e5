package cambench.harness.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which cache condition {@link OneDnnCaches} names for what Linux shows ({@link LinuxCpuInfo}), on
 * fixture {@code /proc/cpuinfo} and {@code /sys/.../cache} trees (engine-free).
 */
class OneDnnCachesTest {
    @TempDir
    Path dir;

    private Path cpuinfo(String vendor, int level, String flags) throws IOException {
        return Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: " + vendor
                + "\ncpuid level\t: " + level + "\nflags\t\t: fpu sse2 " + flags + "\n\nprocessor\t: 1\n"
                + "vendor_id\t: Other\nflags\t\t: topoext\n");
    }

    private void cache(int index, int level, String type, String size, String shared) throws IOException {
        Path d = Files.createDirectories(dir.resolve("cache/index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("shared_cpu_list"), shared + "\n");
    }

    private void usualCaches() throws IOException {
        cache(0, 1, "Data", "48K", "0-1");
        cache(1, 1, "Instruction", "32K", "0-1");
        cache(2, 2, "Unified", "2048K", "0-1");
        cache(3, 3, "Unified", "32768K", "0-15");
    }

    private OneDnnCaches read(String arch, Path cpuinfo) {
        return OneDnnCaches.of(LinuxCpuInfo.read(arch, cpuinfo, dir.resolve("cache")));
    }

    @Test
    void intel_withLeaf4Caches_isVisibleAndNotProbed() throws IOException {
        usualCaches();
        OneDnnCaches c = read("amd64", cpuinfo("GenuineIntel", 27, "avx2"));
        assertEquals(OneDnnCaches.Condition.VISIBLE, c.condition());
        assertFalse(c.needsProbe());
        assertEquals("oneDNN reads L1d 48 KiB, L2 2 MiB, L3 32 MiB from CPUID leaf 4 (as Linux lists them)",
                c.description());
    }

    @Test
    void intel_noCacheList_isHidden() throws IOException {
        OneDnnCaches c = read("amd64", cpuinfo("GenuineIntel", 13, ""));
        assertEquals(OneDnnCaches.Condition.HIDDEN, c.condition());
        assertTrue(c.needsProbe());
        assertTrue(c.description().startsWith("caches hidden: CPUID leaf 4 reports no data caches"), c.description());
    }

    @Test
    void intel_highestLeafBelow4_isHiddenEvenWithAList() throws IOException {
        usualCaches();
        OneDnnCaches c = read("amd64", cpuinfo("GenuineIntel", 2, ""));
        assertEquals(OneDnnCaches.Condition.HIDDEN, c.condition());
        assertTrue(c.description().contains("highest CPUID leaf is 2"), c.description());
    }

    @Test
    void amd_withoutTopoext_isHiddenThoughLinuxListsLegacyCaches() throws IOException {
        usualCaches();
        OneDnnCaches c = read("amd64", cpuinfo("AuthenticAMD", 16, "avx2 hypervisor"));
        assertEquals(OneDnnCaches.Condition.HIDDEN, c.condition());
        assertTrue(c.description().contains("lacks the topoext flag") && c.description().contains("1 byte"),
                c.description());
    }

    @Test
    void amd_withTopoext_isVisible() throws IOException {
        usualCaches();
        OneDnnCaches c = read("x86_64", cpuinfo("AuthenticAMD", 16, "topoext"));
        assertEquals(OneDnnCaches.Condition.VISIBLE, c.condition());
        assertTrue(c.description().endsWith("from CPUID leaf 0x8000001D (as Linux lists them)"), c.description());
    }

    @Test
    void tinyL1_isImplausible_namingSizeAndFloor() throws IOException {
        cache(0, 1, "Data", "64", "0");
        cache(1, 2, "Unified", "1024K", "0");
        OneDnnCaches c = read("amd64", cpuinfo("AuthenticAMD", 16, "topoext"));
        assertEquals(OneDnnCaches.Condition.IMPLAUSIBLE, c.condition());
        assertTrue(c.needsProbe());
        assertEquals("caches implausible: CPUID leaf 0x8000001D gives L1 64 B shared by 1 CPU(s), 64 B per CPU,"
                + " below 4 KiB", c.description());
    }

    @Test
    void l3SharedByTooManyCpus_andMissingL2_areImplausible() throws IOException {
        cache(0, 1, "Data", "32K", "0");
        cache(1, 2, "Unified", "512K", "0");
        cache(2, 3, "Unified", "4096K", "0-127");
        assertTrue(read("amd64", cpuinfo("GenuineIntel", 22, "")).description().contains("L3 4 MiB shared by 128"
                + " CPU(s), 32 KiB per CPU, below 64 KiB"));
        Files.delete(dir.resolve("cache/index1/level"));  // the L2 entry becomes unreadable
        OneDnnCaches c = read("amd64", cpuinfo("GenuineIntel", 22, ""));
        assertEquals(OneDnnCaches.Condition.IMPLAUSIBLE, c.condition());
        assertTrue(c.description().contains("lists no L2 data cache"), c.description());
    }

    @Test
    void otherVendor_unreadableCpuinfo_andArm_areNamed() throws IOException {
        usualCaches();
        assertEquals(OneDnnCaches.Condition.HIDDEN, read("amd64", cpuinfo("HygonGenuine", 13, "topoext")).condition());
        OneDnnCaches unknown = read("amd64", dir.resolve("missing"));
        assertEquals(OneDnnCaches.Condition.UNKNOWN, unknown.condition());
        assertTrue(unknown.needsProbe());
        OneDnnCaches arm = read("aarch64", dir.resolve("missing"));
        assertEquals(OneDnnCaches.Condition.NOT_X86, arm.condition());
        assertFalse(arm.needsProbe());
    }

    @Test
    void sizesAndCpuLists_parse() {
        assertEquals(48 * 1024, LinuxCpuInfo.bytes("48K"));
        assertEquals(32L * 1024 * 1024, LinuxCpuInfo.bytes("32M"));
        assertEquals(64, LinuxCpuInfo.bytes("64"));
        assertEquals(7, LinuxCpuInfo.cpuCount("0-3,8,10-11"));
        assertEquals(1, LinuxCpuInfo.cpuCount("5"));
    }
}
