package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.results.plan.Cell;
import cambench.results.record.EpochMetrics;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The same cell gives the same record every time: a distillation cell (with its teacher) and a
 * classification cell are each trained twice in this JVM and twice in fresh JVMs
 * ({@code bench repeat}), and every run has bit-identical per-step losses (the epochs' step digests),
 * final weights (parameter digests) and metrics.
 */
@Tag("engine")
class DeterminismTest {

    @Test
    void distillationCell_sameRecordInThisJvmAndInFreshJvms(@TempDir Path dir) throws Exception {
        assertSameEverywhere(dir, "7", "distillation-", "kd");
    }

    @Test
    void classificationCell_sameRecordInThisJvmAndInFreshJvms(@TempDir Path dir) throws Exception {
        assertSameEverywhere(dir, "3", "classification-", "cam");
    }

    private static void assertSameEverywhere(Path dir, String table, String prefix, String objective)
            throws Exception {
        String[] plan = {"--preset", "smoke", "--tables", table, "--seeds", "1"};
        int index = cellIndex(plan, prefix, "-" + objective + "-");
        Cli repeat = Cli.run(concat(new String[] {"bench", "repeat"}, plan, "--cell-index", Integer.toString(index),
                "--times", "2", "--threads", "1", "--out", dir.resolve("repeat").toString()));
        assertEquals(0, repeat.code, repeat.out + repeat.err);
        assertTrue(repeat.out.contains("2 run(s), 1 distinct outcome(s)"), repeat.out);

        RunRecord reference = onlyRecord(dir.resolve("repeat/run-1"), prefix);
        for (int i = 1; i <= 2; i++) {
            Path store = dir.resolve("here-" + i);
            copy(dir.resolve("repeat/dependencies"), store);
            Cli here = Cli.run(concat(new String[] {"reproduce"}, plan, "--cell-index", Integer.toString(index),
                    "--threads", "1", "--out", store.toString()));
            assertEquals(0, here.code, here.err);
            RunRecord r = onlyRecord(store, prefix);
            assertEquals(RunStore.json().writeValueAsString(RepeatBenchCommand.outcomeOf(reference)),
                    RunStore.json().writeValueAsString(RepeatBenchCommand.outcomeOf(r)),
                    "run " + i + " in this JVM against the first fresh JVM");
        }
        for (EpochMetrics e : reference.epochs()) {
            assertEquals(16, e.stepsDigest().length(), "every epoch has a step digest");
            assertEquals(16, e.parametersDigest().length(), "every epoch has a parameter digest");
        }
    }

    private static int cellIndex(String[] plan, String prefix, String objective) {
        Cli dry = Cli.run(concat(new String[] {"reproduce"}, plan, "--dry-run", "--out", "unused"));
        assertEquals(0, dry.code, dry.err);
        for (String line : dry.out.split("\n")) {
            String[] f = line.split("\t");
            if (f.length > 1 && f[1].startsWith(prefix) && f[1].contains(objective)) {
                return Integer.parseInt(f[0]);
            }
        }
        throw new AssertionError("no " + prefix + objective + " cell in\n" + dry.out);
    }

    private static RunRecord onlyRecord(Path store, String prefix) throws Exception {
        List<RunRecord> records = new RunStore(store).all().stream()
                .filter(r -> r.cell().fileName().startsWith(prefix)).toList();
        assertEquals(1, records.size(), "records in " + store);
        Cell cell = records.get(0).cell();
        assertFalse(Files.exists(new RunStore(store).failedPath(cell)));
        return records.get(0);
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static String[] concat(String[] a, String[] b, String... c) {
        String[] out = new String[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }
}
