package cambench.results.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import cambench.results.plan.Cell;
import cambench.results.record.EpochMetrics;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

class RunStoreTest {
    static final Recipe RECIPE = new Recipe(2, 32, 0.1, 0.9, true, 5e-4, "cosine", "crop32:4,flip");

    static Cell cell(String objective, long seed) {
        return new Cell("classification", "glyphs:classes=10", "resnet8", objective, Map.of("alpha", "3.0"), RECIPE,
                seed);
    }

    static RunRecord record(Cell c, double top1) {
        return new RunRecord(RunRecord.FORMAT, c.key(), c, Map.of("top1_error", top1, "top5_error", 1.0),
                List.of(new EpochMetrics(1, 0.1, 2.0, Map.of("ce", 2.0), 0.3, top1, 1.0, 1.5)),
                Map.of("classes", "10"), Map.of("threads", "2"), "t0", "t1", 1.5, 0);
    }

    @Test
    void save_thenFind_roundTripsEveryField(@TempDir Path dir) {
        RunStore store = new RunStore(dir);
        Cell c = cell("cam", 1);
        RunRecord r = record(c, 12.5);
        store.save(r);
        assertEquals(r, store.find(c).orElseThrow());
        assertEquals(List.of(r), store.all());
    }

    @Test
    void save_leavesNoTemporaryFiles_andRemovesCheckpoint(@TempDir Path dir) throws IOException {
        RunStore store = new RunStore(dir);
        Cell c = cell("ce", 1);
        Files.createDirectories(store.checkpointsDir());
        Files.writeString(store.checkpointPath(c), "x");
        store.save(record(c, 3));
        try (Stream<Path> files = Files.list(store.runsDir())) {
            assertEquals(List.of(store.recordPath(c)), files.toList());
        }
        assertTrue(Files.notExists(store.checkpointPath(c)));
    }

    @Test
    void cellKey_changesWithAnySetting() {
        assertEquals(cell("cam", 1).key(), cell("cam", 1).key());
        assertNotEquals(cell("cam", 1).key(), cell("cam", 2).key());
        assertNotEquals(cell("cam", 1).key(), cell("ce", 1).key());
        Cell other = new Cell("classification", "glyphs:classes=10", "resnet8", "cam", Map.of("alpha", "2.0"), RECIPE, 1);
        assertNotEquals(cell("cam", 1).key(), other.key());
    }

    @Test
    void read_malformedRecord_isUserErrorNamingFile(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{not json");
        UserException e = assertThrows(UserException.class, () -> RunStore.read(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    }

    @Test
    void all_warnsAboutForeignAndCorruptFiles_andReadsTheRest(@TempDir Path dir) throws IOException {
        RunStore store = new RunStore(dir);
        Cell c = cell("cam", 1);
        store.save(record(c, 12.5));
        Files.writeString(store.runsDir().resolve("notes.txt"), "hello");
        Files.writeString(store.runsDir().resolve("broken.json"), "{\"format\": 1, \"ke");
        Files.copy(store.recordPath(c), store.runsDir().resolve("renamed.json"));
        List<String> warnings = new java.util.ArrayList<>();
        assertEquals(List.of(record(c, 12.5)), store.all(warnings::add));
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("notes.txt")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("broken.json")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("renamed.json")), warnings.toString());
    }

    @Test
    void writtenFiles_areGroupReadable_andCreateAtomicallyRefusesAnExistingFile(@TempDir Path dir)
            throws IOException {
        RunStore store = new RunStore(dir);
        Cell c = cell("ce", 2);
        store.save(record(c, 3));
        var perms = Files.getPosixFilePermissions(store.recordPath(c));
        assertTrue(perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ), perms.toString());
        Path f = dir.resolve("x/once.json");
        assertTrue(RunStore.createAtomically(f, "1".getBytes()));
        assertTrue(!RunStore.createAtomically(f, "2".getBytes()));
        assertEquals("1", Files.readString(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList(), "no temporary file left");
        }
    }

    @Test
    void failures_roundTrip_andASavedRecordClearsThem(@TempDir Path dir) {
        RunStore store = new RunStore(dir);
        Cell c = cell("cam", 3);
        store.saveFailure(new RunStore.Failure(c.key(), c, "diverged", "loss NaN", 2, "h", "t"));
        assertEquals("diverged", store.findFailure(c).orElseThrow().kind());
        assertEquals(2, store.findFailure(c).orElseThrow().epoch());
        store.save(record(c, 5));
        assertTrue(store.findFailure(c).isEmpty());
    }

    @Test
    void removeStaleTemps_removesOnlyOldTemporaryFiles(@TempDir Path dir) throws IOException {
        RunStore store = new RunStore(dir);
        Files.createDirectories(store.runsDir());
        Path old = Files.writeString(store.runsDir().resolve(".a.json.123.tmp"), "x");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        Path fresh = Files.writeString(store.runsDir().resolve(".b.json.456.tmp"), "x");
        assertEquals(1, store.removeStaleTemps(java.time.Duration.ofHours(1)));
        assertTrue(Files.notExists(old));
        assertTrue(Files.exists(fresh));
    }
}
