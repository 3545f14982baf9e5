package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.harness.run.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@code cambench slurm} without a cluster: the scripts and frozen build it writes, and its one-line errors. */
class SlurmCommandTest {

    @Test
    void slurm_writesWorkerArrayReportJobAndFrozenBuild(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("store");
        Cli r = Cli.run("slurm", "--preset", "smoke", "--tables", "3", "--seeds", "1", "--workers", "3",
                "--partition", "gpu", "--gres", "gpu:1", "--cpus-per-task", "4", "--mem", "16G", "--time",
                "1-00:00:00", "--out", out.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("3 worker task(s) over 20 cell(s)"), r.out);
        assertTrue(r.out.contains("sbatch --parsable " + out.resolve("slurm/job.sbatch"))
                && r.out.contains("--dependency=afterany:"), r.out);

        String job = Files.readString(out.resolve("slurm/job.sbatch"));
        for (String line : List.of("#SBATCH --array=0-2", "#SBATCH --requeue", "#SBATCH --open-mode=append",
                "#SBATCH --output=" + out.resolve("slurm/logs") + "/worker-%A_%a.log", "#SBATCH --partition=gpu",
                "#SBATCH --gres=gpu:1", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=16G",
                "#SBATCH --time=1-00:00:00", "  'reproduce' \\", "  '--tables=3' \\", "  '--seeds=1' \\",
                "  '--threads=4' \\", "  '--inference=fused' \\", "  '--out=" + out + "'")) {
            assertTrue(job.lines().anyMatch(line::equals), line + " missing in\n" + job);
        }
        String report = Files.readString(out.resolve("slurm/report.sbatch"));
        assertTrue(report.contains("/run.sh' report --out='" + out + "'"), report);
        assertTrue(report.contains("#SBATCH --partition=gpu") && !report.contains("--gres"), report);
        assertTrue(Files.isDirectory(out.resolve("slurm/logs")));

        // The frozen build: the class path copied, nothing pointing back into target/.
        Path build;
        try (Stream<Path> s = Files.list(out.resolve("slurm"))) {
            build = s.filter(p -> p.getFileName().toString().startsWith("build-")).findFirst().orElseThrow();
        }
        assertTrue(job.contains(build.resolve("run.sh").toString()), job);
        assertTrue(Files.isExecutable(build.resolve("run.sh")));
        List<String> cp = Files.readAllLines(build.resolve("classpath.txt"));
        assertTrue(cp.stream().anyMatch(e -> e.startsWith("classes/") && e.endsWith("-harness-classes")), cp.toString());
        for (String e : cp) {
            assertTrue(Files.exists(build.resolve(e)), e);
        }
        String run = Files.readString(build.resolve("run.sh"));
        assertFalse(run.contains("/target/"), run);
        assertTrue(run.contains("-Dai.djl.offline=true") && run.contains("MALLOC_ARENA_MAX")
                && run.contains("-Dcambench.code='" + Provenance.code() + "'"), run);
        assertEquals(Provenance.code(), Files.readString(build.resolve("VERSION")).strip());

        // A second call reuses the same build folder.
        assertEquals(0, Cli.run("slurm", "--preset", "smoke", "--tables", "3", "--out", out.toString()).code);
        try (Stream<Path> s = Files.list(out.resolve("slurm"))) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("build-")).count());
        }
    }

    @Test
    void slurm_badArguments_areOneLineErrors_andWriteNothing(@TempDir Path dir) {
        Path out = dir.resolve("store");
        String[][] cases = {
            {"--workers", "0", "--workers must be 1..100000"},
            {"--time", "2h", "--time must be MINUTES"},
            {"--mem", "16GB", "--mem must be a number"},
            {"--partition", "a b", "--partition must be one word"},
            {"--tables", "99", "99"},
            {"--cpus-per-task", "0", "--cpus-per-task must be >= 1"},
        };
        Cli spaced = Cli.run("slurm", "--preset", "smoke", "--out", dir.resolve("my store").toString());
        assertEquals(2, spaced.code, spaced.err);
        assertTrue(spaced.err.contains("must not contain white space or %"), spaced.err);
        assertFalse(Files.exists(dir.resolve("my store")));
        for (String[] c : cases) {
            Cli r = Cli.run("slurm", "--preset", "smoke", c[0], c[1], "--out", out.toString());
            assertEquals(2, r.code, c[0] + " " + r.err);
            assertEquals(1, r.err.strip().lines().count(), r.err);
            assertTrue(r.err.contains(c[2]), r.err);
            assertFalse(Files.exists(out), c[0] + " wrote " + out);
        }
    }

    @Test
    void slurmSubmit_withoutSbatch_isOneLineError(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("store");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "cambench.app.Main", "slurm",
                "--preset", "smoke", "--tables", "3", "--out", out.toString(), "--submit"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", dir.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), output);
        assertEquals("cambench: error: --submit: sbatch is not on PATH (run without --submit to only write the job"
                + " scripts)", output);
        assertFalse(Files.exists(out));
    }
}
