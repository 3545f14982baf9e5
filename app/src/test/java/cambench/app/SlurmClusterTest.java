package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cambench.harness.run.Provenance;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code cambench slurm --submit} on a real single-node Slurm cluster started by
 * {@code tools/slurm/start-local-cluster.sh}: an array of 3 workers and the report job over the
 * smoke Table 3 (one seed, 20 cells). Skipped, with the reason, where Slurm and munge are not
 * installed ({@code apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge}).
 */
@Tag("slurm")
@Tag("engine")
class SlurmClusterTest {
    private static final List<String> PROGRAMS = List.of("slurmctld", "slurmd", "sbatch", "squeue", "sinfo",
            "scontrol", "munged", "munge", "unmunge");

    @Test
    void slurmSubmit_arrayOfThreeWorkers_recordsEveryCellAndReports(@TempDir Path out) throws Exception {
        List<String> missing = PROGRAMS.stream().filter(p -> !onPath(p)).toList();
        if (!missing.isEmpty()) {
            System.err.println("SlurmClusterTest skipped: not installed: " + missing);
        }
        assumeTrue(missing.isEmpty(), "Slurm not installed (missing " + missing + "); apt-get install -y"
                + " --no-install-recommends slurmctld slurmd slurm-client munge");
        Path repo = Path.of(System.getProperty("cambench.repo", "..")).toAbsolutePath().normalize();
        Path tools = repo.resolve("tools/slurm");
        // A short folder: munged's socket path must stay under the unix socket limit.
        Path cluster = Files.createTempDirectory(Path.of("/tmp"), "cb-slurm-");
        Path store = out.resolve("store");
        Map<String, String> clusterEnv = Map.of("CB_SLURM_CTLD_PORT", Integer.toString(freePort()),
                "CB_SLURM_NODE_PORT", Integer.toString(freePort()), "CB_SLURM_CPUS", "3");
        try {
            Result started = exec(List.of(tools.resolve("start-local-cluster.sh").toString(), cluster.toString()),
                    clusterEnv, 120);
            assertEquals(0, started.code, started.output);
            Matcher conf = Pattern.compile("export SLURM_CONF=(\\S+)").matcher(started.output);
            assertTrue(conf.find(), started.output);
            Map<String, String> env = new java.util.HashMap<>(Map.of("SLURM_CONF", conf.group(1),
                    "CAMBENCH_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "CAMBENCH_JAVA_OPTS", "-Xmx1g"));

            List<String> submit = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Dai.djl.offline=true", "-Dcambench.repo=" + repo,
                    "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR", ""),
                    "-cp", System.getProperty("java.class.path"), "cambench.app.Main",
                    "slurm", "--preset", "smoke", "--tables", "3", "--seeds", "1", "--workers", "3",
                    "--cpus-per-task", "1", "--time", "20", "--out", store.toString(), "--submit"));
            Result submitted = exec(submit, env, 300);
            assertEquals(0, submitted.code, submitted.output);
            String array = group("array job (\\d+)", submitted.output);
            String report = group("report job (\\d+)", submitted.output);

            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
            while (!exec(List.of("squeue", "-h", "-j", array + "," + report), env, 60).output.isBlank()) {
                assertTrue(System.nanoTime() < deadline, "jobs still queued after 8 min:\n" + logs(store));
                Thread.sleep(500);
            }

            // Slurm's own account of the jobs (no accounting database: the jobcomp file).
            List<String> jobs = Files.readAllLines(cluster.resolve("log/jobcomp.txt"));
            List<String> tasks = jobs.stream().filter(l -> l.contains(" ArrayJobId=" + array + " ")).toList();
            assertEquals(3, tasks.size(), String.join("\n", jobs) + "\n" + logs(store));
            Set<String> taskIds = new TreeSet<>();
            for (String t : tasks) {
                assertTrue(t.contains("JobState=COMPLETED") && t.contains(" ExitCode=0:0"), t + "\n" + logs(store));
                taskIds.add(group("ArrayTaskId=(\\d+)", t));
            }
            assertEquals(Set.of("0", "1", "2"), taskIds);
            String reportJob = jobs.stream().filter(l -> l.startsWith("JobId=" + report + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no jobcomp line for the report job\n" + jobs));
            assertTrue(reportJob.contains("JobState=COMPLETED") && reportJob.contains(" ExitCode=0:0"), reportJob);

            // Every planned cell has its record, from the frozen build, with provenance.
            Cli plan = Cli.run("reproduce", "--preset", "smoke", "--tables", "3", "--seeds", "1", "--dry-run",
                    "--out", store.toString());
            Set<String> planned = plan.out.lines().map(l -> l.split("\t")[1] + ".json")
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(20, planned.size(), plan.out);
            Set<String> recorded;
            try (Stream<Path> runs = Files.list(store.resolve("runs"))) {
                recorded = runs.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
            assertEquals(planned, recorded);
            for (RunRecord r : new RunStore(store).all()) {
                assertEquals(Provenance.code(), r.environment().get(Provenance.CODE), r.key());
                assertTrue(r.data().get(Provenance.DATA).startsWith("generated:"), r.data().toString());
            }
            String md = Files.readString(store.resolve("report/table3.md"));
            assertTrue(md.contains("±") && !md.contains("another code version"), md);
            assertTrue(Files.readString(logOf(store, "report-" + report)).contains("table3.md"), logs(store));
            try (Stream<Path> builds = Files.list(store.resolve("slurm"))) {
                assertEquals(1, builds.filter(p -> p.getFileName().toString().startsWith("build-")).count());
            }
        } finally {
            Result stopped = exec(List.of(tools.resolve("stop-local-cluster.sh").toString(), cluster.toString(),
                    "--purge"), Map.of(), 120);
            assertEquals(0, stopped.code, stopped.output);
        }
    }

    private record Result(int code, String output) {
    }

    private static Result exec(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("cb-slurm-exec", ".log");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(command + " still running after " + timeoutSeconds + " s:\n"
                        + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no '" + regex + "' in:\n" + text);
        return m.group(1);
    }

    private static Path logOf(Path store, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(store.resolve("slurm/logs"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no log " + prefix + "* in " + store.resolve("slurm/logs")));
        }
    }

    /** The tail of every job log, for failure messages. */
    private static String logs(Path store) {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(store.resolve("slurm/logs"))) {
            for (Path p : s.sorted().toList()) {
                List<String> lines = Files.readAllLines(p);
                b.append("==> ").append(p).append(" <==\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())))
                        .append('\n');
            }
        } catch (IOException e) {
            b.append("(no logs: ").append(e).append(")");
        }
        return b.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin"
                + File.pathSeparator + "/sbin"; // as the start script extends it
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
