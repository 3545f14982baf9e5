package cambench.harness.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What Linux shows of the first CPU: the CPUID vendor, highest basic leaf and feature flags from
 * {@code /proc/cpuinfo}, and the caches the kernel lists under
 * {@code /sys/devices/system/cpu/cpu0/cache/index*}. The kernel builds that list from CPUID leaf 4
 * on Intel and from leaf 0x8000001D on AMD when the CPU offers it (flag {@code topoext}), else from
 * AMD's legacy leaves 0x80000005/6 ({@link OneDnnCaches} says why that matters).
 *
 * @param arch the JVM's {@code os.arch}, e.g. {@code amd64}
 * @param vendor {@code vendor_id}, e.g. {@code GenuineIntel}, {@code AuthenticAMD}; "" when unknown
 * @param cpuidLevel {@code cpuid level} (the highest basic CPUID leaf); -1 when unknown
 * @param flags the {@code flags} words
 * @param caches the listed caches, by index (instruction caches included)
 * @param readable whether {@code /proc/cpuinfo} could be read at all
 */
public record LinuxCpuInfo(String arch, String vendor, int cpuidLevel, Set<String> flags, List<Cache> caches,
        boolean readable) {

    /**
     * One cache the kernel lists.
     *
     * @param level 1, 2, 3
     * @param type {@code Data}, {@code Instruction} or {@code Unified}
     * @param bytes its size
     * @param sharedCpus how many logical CPUs share it ({@code shared_cpu_list}); at least 1
     */
    public record Cache(int level, String type, long bytes, int sharedCpus) {
        /** Whether it holds data (a data or unified cache). */
        public boolean holdsData() {
            return !type.equals("Instruction");
        }
    }

    /** Copies flags and caches. */
    public LinuxCpuInfo {
        flags = Set.copyOf(flags);
        caches = List.copyOf(caches);
    }

    /** Whether the JVM runs on x86-64 (where oneDNN's kernels are the Xbyak JIT ones). */
    public boolean x86() {
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /** Reads this machine ({@code /proc/cpuinfo}, {@code /sys/devices/system/cpu/cpu0/cache}). */
    public static LinuxCpuInfo ofThisMachine() {
        return read(System.getProperty("os.arch", ""), Path.of("/proc/cpuinfo"),
                Path.of("/sys/devices/system/cpu/cpu0/cache"));
    }

    /**
     * Reads a cpuinfo file and a cache folder (tests point these at fixtures); what cannot be read
     * is left unknown, never an error.
     */
    public static LinuxCpuInfo read(String arch, Path cpuinfo, Path cacheFolder) {
        String vendor = "";
        int level = -1;
        Set<String> flags = new TreeSet<>();
        boolean readable = false;
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                readable = true;
                if (line.isBlank()) {
                    break;  // the first processor's block only
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                switch (key) {
                    case "vendor_id" -> vendor = value;
                    case "cpuid level" -> level = parseInt(value, -1);
                    case "flags" -> flags.addAll(List.of(value.split("\\s+")));
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: the caller probes
        }
        return new LinuxCpuInfo(arch, vendor, level, flags, caches(cacheFolder), readable);
    }

    private static List<Cache> caches(Path folder) {
        List<Cache> caches = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path index : entries.filter(p -> p.getFileName().toString().matches("index\\d+"))
                    .sorted(Comparator.comparingInt(p -> parseInt(p.getFileName().toString().substring(5), 0)))
                    .toList()) {
                Optional<String> level = text(index.resolve("level"));
                Optional<String> type = text(index.resolve("type"));
                Optional<String> size = text(index.resolve("size"));
                if (level.isPresent() && type.isPresent() && size.isPresent()) {
                    caches.add(new Cache(parseInt(level.get(), 0), type.get(), bytes(size.get()),
                            Math.max(1, cpuCount(text(index.resolve("shared_cpu_list")).orElse("")))));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no list: unknown
        }
        return caches;
    }

    private static Optional<String> text(Path file) {
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code 48K}, {@code 2048K}, {@code 32M} or a plain number of bytes. */
    static long bytes(String size) {
        String s = size.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("K")) {
            unit = 1024;
        } else if (s.endsWith("M")) {
            unit = 1024 * 1024;
        } else if (s.endsWith("G")) {
            unit = 1024L * 1024 * 1024;
        }
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return parseInt(digits, 0) * unit;
    }

    /** The number of CPUs in a list such as {@code 0-3,8,10-11}. */
    static int cpuCount(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            n += dash < 0 ? 1 : parseInt(p.substring(dash + 1), 0) - parseInt(p.substring(0, dash), 0) + 1;
        }
        return n;
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
