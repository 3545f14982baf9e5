package cambench.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** Data fingerprints and the stale test of {@link Provenance}, without the engine. */
class ProvenanceDataTest {

    /** Writes a/x.bin (3 bytes) and b.txt with fixed modification times under {@code root}. */
    private static Path tree(Path root, String bText, long bMillis) throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.write(root.resolve("a/x.bin"), new byte[] {1, 2, 3});
        Files.writeString(root.resolve("b.txt"), bText);
        Files.setLastModifiedTime(root.resolve("a/x.bin"), FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(root.resolve("b.txt"), FileTime.fromMillis(bMillis));
        return root;
    }

    @Test
    void data_files_hashRelativePathsSizesAndTimes(@TempDir Path dir) throws Exception {
        String one = Provenance.data("cifar10", tree(dir.resolve("one"), "hello", 2_000_000).toString());
        String same = Provenance.data("cifar10", tree(dir.resolve("same"), "hello", 2_000_000).toString());
        String touched = Provenance.data("cifar10", tree(dir.resolve("touched"), "hello", 3_000_000).toString());
        String resized = Provenance.data("cifar10", tree(dir.resolve("resized"), "hello!", 2_000_000).toString());
        assertTrue(one.matches("files:[0-9a-f]{16}"), one);
        assertEquals(one, same, "same relative paths, sizes and times, another folder");
        assertNotEquals(one, touched);
        assertNotEquals(one, resized);
        String split = Provenance.data("cub", dir.resolve("one") + " split " + dir.resolve("same"));
        assertTrue(split.matches("files:[0-9a-f]{16}:[0-9a-f]{16}"), split);
    }

    @Test
    void data_generated_hashesTheSpec() {
        String a = Provenance.data("glyphs:{classes=10}", "rendered DejaVu glyphs");
        assertTrue(a.matches("generated:[0-9a-f]{16}"), a);
        assertEquals(a, Provenance.data("glyphs:{classes=10}", "rendered DejaVu glyphs"));
        assertNotEquals(a, Provenance.data("glyphs:{classes=20}", "rendered DejaVu glyphs"));
    }

    @Test
    void staleReason_comparesCodeVersion() {
        assertNull(Provenance.staleReason(Map.of(Provenance.CODE, Provenance.code())));
        assertEquals("code unknown, now " + Provenance.code(), Provenance.staleReason(Map.of()));
        assertEquals("code build:0, now " + Provenance.code(),
                Provenance.staleReason(Map.of(Provenance.CODE, "build:0")));
    }
}
