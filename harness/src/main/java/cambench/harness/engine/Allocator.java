package cambench.harness.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which malloc this process runs on, for benchmark output and run records: {@code tcmalloc} or
 * {@code jemalloc} when such a library is mapped into the process (the launcher preloads tcmalloc
 * when it is installed), else {@code glibc}.
 *
 * <p>The answer comes from {@code /proc/self/maps}, so it names the allocator that is live, not
 * the one asked for; off Linux it is {@code unknown}.
 */
public final class Allocator {
    private static volatile String cached;

    private Allocator() {
    }

    /** {@code tcmalloc}, {@code jemalloc}, {@code glibc} or {@code unknown}. */
    public static String name() {
        String n = cached;
        if (n == null) {
            n = detect(Path.of("/proc/self/maps"));
            cached = n;
        }
        return n;
    }

    /**
     * The allocator named by a maps file: the first of tcmalloc, jemalloc whose library is mapped,
     * else glibc; {@code unknown} when the file cannot be read.
     */
    static String detect(Path maps) {
        try (Stream<String> lines = Files.lines(maps)) {
            return fromMappedPaths(lines.toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unknown";
        }
    }

    /** The allocator named by the lines of a maps file (see {@link #detect}). */
    static String fromMappedPaths(List<String> lines) {
        boolean jemalloc = false;
        for (String line : lines) {
            int slash = line.lastIndexOf('/');
            String file = slash < 0 ? line : line.substring(slash + 1);
            if (file.startsWith("libtcmalloc")) {
                return "tcmalloc";
            }
            jemalloc |= file.startsWith("libjemalloc");
        }
        return jemalloc ? "jemalloc" : "glibc";
    }
}
