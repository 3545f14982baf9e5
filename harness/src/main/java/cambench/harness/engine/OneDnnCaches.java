package cambench.harness.engine;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The data-cache sizes oneDNN blocks its convolutions by, as far as this process can tell, and
 * whether the convolution kernels must be probed before training ({@code KernelCheck}).
 *
 * <p>oneDNN inside libtorch 2.5.1 takes its cache sizes from Xbyak's CPU detection, which executes
 * CPUID: leaf 4 on Intel; on AMD leaf 0x8000001D, read for three levels whether or not the CPU
 * offers that leaf, so where it is absent every size comes out as 1 byte; on other vendors no leaf,
 * and oneDNN assumes 32 KiB, 512 KiB and 1 MiB per core. It divides each size by the cores
 * sharing it. With L1 forced to 64 bytes or less its AVX kernels were seen to compute some
 * convolutions wrongly (README, Tests).
 *
 * <p>Java cannot execute CPUID, so this reads what Linux derived from the same leaves
 * ({@link LinuxCpuInfo}): on Intel the kernel's cache list is leaf 4; on AMD it is leaf
 * 0x8000001D exactly when the CPU has the {@code topoext} flag, and otherwise comes from legacy
 * leaves that oneDNN does not read. A hidden leaf, a missing level or a size per CPU below the
 * floors below is reported by name and makes the check probe; plausible sizes let training start
 * without a probe.
 *
 * @param condition what was found
 * @param description one line naming the condition, e.g. {@code oneDNN reads L1d 48 KiB, L2 2 MiB,
 *     L3 480 MiB from CPUID leaf 4 (as Linux lists them)}
 */
public record OneDnnCaches(Condition condition, String description) {
    /** The smallest L1 data cache per logical CPU taken as plausible (real x86 cores have 16 KiB or more). */
    public static final long MIN_L1_PER_CPU = 4L * 1024;
    /** The smallest L2 cache per logical CPU taken as plausible. */
    public static final long MIN_L2_PER_CPU = 32L * 1024;
    /** The smallest L3 cache per logical CPU taken as plausible (when there is an L3). */
    public static final long MIN_L3_PER_CPU = 64L * 1024;

    private static OneDnnCaches thisMachine;

    /** What was found about the cache sizes oneDNN reads. */
    public enum Condition {
        /** Plausible sizes in the leaf oneDNN reads: no probe needed. */
        VISIBLE,
        /** The leaf oneDNN reads is absent or empty: oneDNN computes or assumes sizes that are not the machine's. */
        HIDDEN,
        /** The leaf lists caches, but a level is missing or too small to be real. */
        IMPLAUSIBLE,
        /** This process cannot tell ({@code /proc/cpuinfo} unreadable: not Linux, or masked). */
        UNKNOWN,
        /** Not x86-64: oneDNN's kernels there are not the Xbyak JIT ones this concerns. */
        NOT_X86
    }

    /** Whether the convolution kernels must be probed before training (hidden, implausible or unknown sizes). */
    public boolean needsProbe() {
        return condition == Condition.HIDDEN || condition == Condition.IMPLAUSIBLE || condition == Condition.UNKNOWN;
    }

    /** This machine's, read once per process. */
    public static synchronized OneDnnCaches ofThisMachine() {
        if (thisMachine == null) {
            thisMachine = of(LinuxCpuInfo.ofThisMachine());
        }
        return thisMachine;
    }

    /** The verdict on what Linux shows of a CPU (see the class comment). */
    public static OneDnnCaches of(LinuxCpuInfo cpu) {
        if (!cpu.x86()) {
            return new OneDnnCaches(Condition.NOT_X86, "os.arch " + cpu.arch() + ": oneDNN's x86 cache detection"
                    + " (CPUID) does not apply");
        }
        if (!cpu.readable()) {
            return new OneDnnCaches(Condition.UNKNOWN, "cache sizes unknown: /proc/cpuinfo cannot be read, so what"
                    + " CPUID tells oneDNN is not known here");
        }
        String leaf;
        switch (cpu.vendor()) {
            case "GenuineIntel" -> {
                leaf = "CPUID leaf 4";
                if (cpu.cpuidLevel() >= 0 && cpu.cpuidLevel() < 4) {
                    return new OneDnnCaches(Condition.HIDDEN, "caches hidden: the CPU's highest CPUID leaf is "
                            + cpu.cpuidLevel() + ", so leaf 4, where oneDNN reads its cache sizes, is missing");
                }
            }
            case "AuthenticAMD" -> {
                leaf = "CPUID leaf 0x8000001D";
                if (!cpu.flags().contains("topoext")) {
                    return new OneDnnCaches(Condition.HIDDEN, "caches hidden: this AMD CPU lacks the topoext flag, so"
                            + " CPUID leaf 0x8000001D, where oneDNN reads its cache sizes, is not offered (oneDNN then"
                            + " computes caches of 1 byte; Linux lists caches from AMD's legacy leaves instead)");
                }
            }
            default -> {
                return new OneDnnCaches(Condition.HIDDEN, "caches not read: for CPU vendor '" + cpu.vendor() + "'"
                        + " oneDNN reads no CPUID cache leaf and assumes L1d 32 KiB, L2 512 KiB, L3 1 MiB per core");
            }
        }
        List<LinuxCpuInfo.Cache> data = cpu.caches().stream().filter(LinuxCpuInfo.Cache::holdsData).toList();
        if (data.isEmpty()) {
            return new OneDnnCaches(Condition.HIDDEN, "caches hidden: " + leaf + " reports no data caches (Linux lists"
                    + " none under /sys/devices/system/cpu/cpu0/cache)");
        }
        Optional<LinuxCpuInfo.Cache> l1 = level(data, 1);
        Optional<LinuxCpuInfo.Cache> l2 = level(data, 2);
        Optional<LinuxCpuInfo.Cache> l3 = level(data, 3);
        if (l1.isEmpty() || l2.isEmpty()) {
            return new OneDnnCaches(Condition.IMPLAUSIBLE, "caches implausible: " + leaf + " lists no L"
                    + (l1.isEmpty() ? 1 : 2) + " data cache (" + sizes(data) + "), and oneDNN then uses 0 bytes");
        }
        for (Optional<LinuxCpuInfo.Cache> c : List.of(l1, l2, l3)) {
            if (c.isPresent()) {
                long floor = c.get().level() == 1 ? MIN_L1_PER_CPU : c.get().level() == 2 ? MIN_L2_PER_CPU
                        : MIN_L3_PER_CPU;
                long perCpu = c.get().bytes() / c.get().sharedCpus();
                if (perCpu < floor) {
                    return new OneDnnCaches(Condition.IMPLAUSIBLE, "caches implausible: " + leaf + " gives L"
                            + c.get().level() + " " + size(c.get().bytes()) + " shared by " + c.get().sharedCpus()
                            + " CPU(s), " + size(perCpu) + " per CPU, below " + size(floor));
                }
            }
        }
        return new OneDnnCaches(Condition.VISIBLE, "oneDNN reads " + sizes(data) + " from " + leaf
                + " (as Linux lists them)");
    }

    private static Optional<LinuxCpuInfo.Cache> level(List<LinuxCpuInfo.Cache> data, int level) {
        return data.stream().filter(c -> c.level() == level).findFirst();
    }

    private static String sizes(List<LinuxCpuInfo.Cache> data) {
        return String.join(", ", data.stream().map(c -> "L" + c.level() + (c.level() == 1 ? "d " : " ")
                + size(c.bytes())).toList());
    }

    /** {@code 64 B}, {@code 48 KiB}, {@code 2 MiB}. */
    static String size(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return String.format(Locale.ROOT, "%d B", bytes);
    }
}
