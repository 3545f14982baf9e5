package cambench.harness.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Which allocator /proc/self/maps names. */
class AllocatorTest {
    private static final String LIBC = "7f1c2a000000-7f1c2a028000 r--p 00000000 fe:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6";
    private static final String TCMALLOC =
            "7f1c2b000000-7f1c2b010000 r-xp 00000000 fe:01 99 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.16";
    private static final String JEMALLOC = "7f1c2c000000-7f1c2c010000 r-xp 00000000 fe:01 98 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

    @Test
    void fromMappedPaths_tcmallocMapped_isTcmalloc() {
        assertEquals("tcmalloc", Allocator.fromMappedPaths(List.of(LIBC, JEMALLOC, TCMALLOC)));
    }

    @Test
    void fromMappedPaths_jemallocOnly_isJemalloc() {
        assertEquals("jemalloc", Allocator.fromMappedPaths(List.of(LIBC, JEMALLOC)));
    }

    @Test
    void fromMappedPaths_libcOnlyOrAnonymous_isGlibc() {
        assertEquals("glibc", Allocator.fromMappedPaths(List.of(LIBC, "7ffd1000-7ffd2000 rw-p 00000000 00:00 0 [stack]")));
    }

    @Test
    void detect_missingFile_isUnknown(@TempDir Path dir) {
        assertEquals("unknown", Allocator.detect(dir.resolve("no-maps")));
    }

    @Test
    void detect_mapsFile_readsIt(@TempDir Path dir) throws IOException {
        Path maps = Files.writeString(dir.resolve("maps"), LIBC + "\n" + TCMALLOC + "\n");
        assertEquals("tcmalloc", Allocator.detect(maps));
    }

    /** This JVM: what the surefire environment preloads (nothing, so glibc) unless LD_PRELOAD names tcmalloc. */
    @Test
    void name_thisProcess_agreesWithLdPreload() {
        String preload = System.getenv("LD_PRELOAD");
        String expected = preload != null && preload.contains("libtcmalloc") ? "tcmalloc"
                : preload != null && preload.contains("libjemalloc") ? "jemalloc" : "glibc";
        assertEquals(expected, Allocator.name());
    }
}
