package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The smoke preset end to end: tables with CIs, idempotent reruns, resume after kill -9. */
@Tag("engine")
class ReproduceSmokeTest {

    @Test
    void reproduceSmoke_writesTable3WithCis_andRerunRecomputesNothing(@TempDir Path out) throws Exception {
        Cli first = Cli.run("reproduce", "--preset", "smoke", "--tables", "3", "--out", out.toString());
        assertEquals(0, first.code, first.err);
        List<String> csv = Files.readAllLines(out.resolve("report/table3.csv"));
        assertEquals(1 + 5 * 4, csv.size(), String.join("\n", csv));
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)"); // commas outside quotes
            assertEquals("2", f[6], line); // n = 2 seeds
            assertTrue(Double.parseDouble(f[9]) <= Double.parseDouble(f[7]), line); // ci_low <= mean
        }
        String md = Files.readString(out.resolve("report/table3.md"));
        assertTrue(md.contains("±") && md.contains("(paper 6.76)") && md.contains("scaled-down analogue"), md);

        Map<Path, FileTime> before = mtimes(out.resolve("runs"));
        assertEquals(5 * 4 * 2, before.size());
        assertCamTermsLive(out.resolve("runs"));
        Cli second = Cli.run("reproduce", "--preset", "smoke", "--tables", "3", "--out", out.toString());
        assertEquals(0, second.code, second.err);
        assertTrue(second.err.contains("0 cell(s) run, 40 already done"), second.err);
        assertEquals(before, mtimes(out.resolve("runs")));
    }

    @Test
    void reproduce_killedMidRun_resumesToIdenticalRecords(@TempDir Path dir) throws Exception {
        Path reference = dir.resolve("reference");
        Path killed = dir.resolve("killed");
        String[] args = {"reproduce", "--preset", "smoke", "--tables", "3", "--seeds", "1"};
        assertEquals(0, Cli.run(concat(args, "--out", reference.toString())).code);

        Process p = new ProcessBuilder(javaCommand(concat(args, "--out", killed.toString())))
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        Path runs = killed.resolve("runs");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (count(runs) < 2 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor();
        int finishedBeforeKill = count(runs);
        assertTrue(finishedBeforeKill >= 2 && finishedBeforeKill < 20,
                "kill should land mid-run, records: " + finishedBeforeKill);
        Map<Path, FileTime> survivors = mtimes(runs);

        Cli resumed = Cli.run(concat(args, "--out", killed.toString()));
        assertEquals(0, resumed.code, resumed.err);
        assertTrue(resumed.err.contains((20 - finishedBeforeKill) + " cell(s) run, " + finishedBeforeKill
                + " already done"), resumed.err);
        survivors.forEach((file, time) -> assertEquals(time, mtimes(runs).get(file), "recomputed " + file));
        for (RunRecord r : new RunStore(reference).all()) {
            RunRecord again = new RunStore(killed).find(r.cell()).orElseThrow();
            assertEquals(r.metrics(), again.metrics(), r.key());
            assertEquals(r.epochs().stream().map(e -> e.trainLoss()).toList(),
                    again.epochs().stream().map(e -> e.trainLoss()).toList(), r.key());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<String> javaCommand(String[] args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.graph_optimizer=false",
                "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR", ""),
                "-cp", System.getProperty("java.class.path"), "cambench.app.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static int count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    private static Map<Path, FileTime> mtimes(Path dir) {
        Map<Path, FileTime> m = new HashMap<>();
        for (File f : dir.toFile().listFiles()) {
            if (f.getName().endsWith(".json")) {
                m.put(f.toPath(), FileTime.fromMillis(f.lastModified()));
            }
        }
        return m;
    }

    /** Every record of a CAM-based objective ends with a non-zero CAM term: the row runs what its label says. */
    static void assertCamTermsLive(Path runs) throws IOException {
        int checked = 0;
        try (var files = Files.list(runs)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(f.toFile());
                String objective = r.path("cell").path("objective").asText();
                if (objective.equals("cam") || objective.equals("negcam")) {
                    com.fasterxml.jackson.databind.JsonNode epochs = r.path("epochs");
                    com.fasterxml.jackson.databind.JsonNode last = epochs.get(epochs.size() - 1).path("terms");
                    double term = last.path(objective.equals("cam") ? "cam" : "negcam").asDouble(0);
                    assertTrue(term > 0, f.getFileName() + ": last epoch's terms " + last);
                    checked++;
                }
            }
        }
        assertTrue(checked > 0, "no CAM-based record in " + runs);
    }
}
