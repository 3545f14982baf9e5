package cambench.app;

import cambench.api.Objectives;
import cambench.api.UserException;
import cambench.harness.engine.EngineSetup;
import cambench.harness.run.Provenance;
import cambench.results.plan.Plan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code cambench slurm}: writes a Slurm job array of {@code reproduce} workers over one run store
 * and a report job that runs after the array, both on a frozen copy of this build.
 *
 * <p>Files: {@code OUT/slurm/job.sbatch} (array tasks 0..N-1, each the same {@code reproduce}
 * command; requeued on preemption; logs appended to {@code OUT/slurm/logs/}),
 * {@code OUT/slurm/report.sbatch} and {@code OUT/slurm/build-ID/} (this process's class path copied:
 * {@code classes/}, {@code lib/}, {@code classpath.txt} and {@code run.sh}, which sets what the
 * {@code cambench} launcher sets). ID hashes the build, so a rebuilt checkout gets a new folder and
 * running jobs keep theirs.
 */
@Command(name = "slurm", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Write (and with --submit, submit) a Slurm array of reproduce workers plus a report job.")
final class SlurmCommand implements Callable<Integer> {
    private static final Pattern TIME = Pattern.compile("\\d+(:\\d{1,2}){0,2}|\\d+-\\d{1,2}(:\\d{1,2}){0,2}");
    private static final Pattern MEM = Pattern.compile("\\d+[KMGT]?");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:,=+/@%-]+");

    @Mixin
    PlanOptions planOptions;

    @Option(names = "--workers", defaultValue = "4", description = "array tasks, each one reproduce worker")
    int workers;

    @Option(names = "--partition", description = "sbatch --partition of every job")
    String partition;

    @Option(names = "--gres", description = "sbatch --gres of each worker, e.g. gpu:1")
    String gres;

    @Option(names = "--cpus-per-task", description = "sbatch --cpus-per-task of each worker (also the default"
            + " --threads)")
    Integer cpusPerTask;

    @Option(names = "--mem", description = "sbatch --mem of each worker, e.g. 16G")
    String mem;

    @Option(names = "--time", description = "sbatch --time of each worker, e.g. 1-00:00:00 or 90")
    String time;

    @Option(names = "--job-name", defaultValue = "cambench", description = "sbatch --job-name (the report job"
            + " adds -report)")
    String jobName;

    @Option(names = "--submit", description = "run sbatch: the array, then the report with --dependency=afterany")
    boolean submit;

    @Mixin
    RunOptions run;

    @Mixin
    EngineOptions engine;

    @Mixin
    PluginOptions plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int threads = validate();
        Path out = run.out.toAbsolutePath().normalize();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserException("--out " + run.out + ": exists and is not a folder");
        }
        if (!out.toString().matches("[^\\s%]+")) {
            throw new UserException("--out " + out + ": must not contain white space or % (it goes into #SBATCH"
                    + " --output lines)");
        }
        ClassLoader loader = plugins.loader();
        Objectives objectives = plugins.objectives(loader);
        Plan plan = planOptions.plan(loader, objectives, run.params, run.settings);
        int cells = plan.distinctCells().size();
        if (submit && !onPath("sbatch")) {
            throw new UserException("--submit: sbatch is not on PATH (run without --submit to only write the"
                    + " job scripts)");
        }

        Path slurm = out.resolve("slurm");
        Files.createDirectories(slurm.resolve("logs"));
        Path build = freeze(slurm);
        Path job = slurm.resolve("job.sbatch");
        Path report = slurm.resolve("report.sbatch");
        writeScript(job, workerScript(out, build, threads, plan.hash()));
        writeScript(report, reportScript(out, build));

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("wrote " + job + " (" + workers + " worker task(s) over " + cells + " cell(s)), " + report
                + " and the frozen build " + build);
        if (!submit) {
            stdout.println("submit with:");
            stdout.println("  array=$(sbatch --parsable " + job + ") && sbatch --dependency=afterany:${array%%;*} "
                    + report);
            stdout.flush();
            return 0;
        }
        String array = sbatch(List.of(job.toString()));
        String after;
        try {
            after = sbatch(List.of("--dependency=afterany:" + array, report.toString()));
        } catch (UserException e) {
            throw new UserException("array job " + array + " is submitted, the report job is not: " + e.getMessage()
                    + " (submit " + report + " by hand once the array ends)", e);
        }
        Files.writeString(slurm.resolve("jobs.txt"), "array " + array + " report " + after + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        stdout.println("array job " + array);
        stdout.println("report job " + after);
        stdout.flush();
        return 0;
    }

    /** Checks every option that goes into the scripts; returns the worker threads. */
    private int validate() {
        if (workers < 1 || workers > 100_000) {
            throw new UserException("--workers must be 1..100000, got " + workers);
        }
        if (cpusPerTask != null && cpusPerTask < 1) {
            throw new UserException("--cpus-per-task must be >= 1, got " + cpusPerTask);
        }
        if (time != null && !TIME.matcher(time).matches()) {
            throw new UserException("--time must be MINUTES, H:MM:SS or D-HH[:MM[:SS]], got '" + time + "'");
        }
        if (mem != null && !MEM.matcher(mem).matches()) {
            throw new UserException("--mem must be a number with an optional K, M, G or T suffix, got '" + mem + "'");
        }
        for (String[] o : new String[][] {{"--partition", partition}, {"--gres", gres}, {"--job-name", jobName},
                {"--device", engine.device}}) {
            if (o[1] != null && !WORD.matcher(o[1]).matches()) {
                throw new UserException(o[0] + " must be one word of letters, digits and _.:,=+/@%-, got '"
                        + o[1] + "'");
            }
        }
        if (!engine.device.matches("cpu|gpu(:\\d+)?")) {
            throw new UserException("--device must be cpu, gpu or gpu:<index>, got '" + engine.device + "'");
        }
        EngineSetup.setInference(engine.inference);
        if (run.dataRoot != null && !Files.isDirectory(run.dataRoot)) {
            throw new UserException("--data-root " + run.dataRoot + ": no such folder");
        }
        boolean threadsGiven = spec.commandLine().getParseResult().hasMatchedOption("--threads");
        int threads = !threadsGiven && cpusPerTask != null ? cpusPerTask : engine.threads;
        if (threads < 1) {
            throw new UserException("--threads must be >= 1, got " + threads);
        }
        return threads;
    }

    private String workerScript(Path out, Path build, int threads, String planHash) {
        List<String> args = new ArrayList<>(List.of("reproduce"));
        args.addAll(planOptions.asArguments());
        args.add("--plan=" + planHash);   // a task whose options plan anything else refuses to start
        args.addAll(run.forwarded());
        args.addAll(plugins.forwarded());
        args.addAll(engine.forwarded(threads));
        args.add("--out=" + out);
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(jobName).append('\n');
        s.append("#SBATCH --array=0-").append(workers - 1).append('\n');
        s.append("#SBATCH --requeue\n#SBATCH --open-mode=append\n");
        s.append("#SBATCH --output=").append(out.resolve("slurm/logs")).append("/worker-%A_%a.log\n");
        directive(s, "partition", partition);
        directive(s, "gres", gres);
        directive(s, "cpus-per-task", cpusPerTask == null ? null : cpusPerTask.toString());
        directive(s, "mem", mem);
        directive(s, "time", time);
        s.append("""
                # Written by `cambench slurm`. Every array task runs the same reproduce command as one worker
                # on the shared run store; a requeued (preempted) task resumes from the cells' checkpoints.
                set -eu
                echo "cambench worker ${SLURM_ARRAY_TASK_ID:-?} of job ${SLURM_ARRAY_JOB_ID:-?} on $(hostname)," \\
                  "start $(date -u +%Y-%m-%dT%H:%M:%SZ), restart ${SLURM_RESTART_COUNT:-0}"
                """);
        s.append("exec ").append(quote(build.resolve("run.sh").toString()));
        for (String a : args) {
            s.append(" \\\n  ").append(quote(a));
        }
        return s.append('\n').toString();
    }

    private String reportScript(Path out, Path build) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(jobName).append("-report\n");
        s.append("#SBATCH --output=").append(out.resolve("slurm/logs")).append("/report-%j.log\n");
        s.append("#SBATCH --open-mode=append\n#SBATCH --cpus-per-task=1\n");
        directive(s, "partition", partition);
        directive(s, "mem", mem);
        s.append("""
                # Written by `cambench slurm`: the report over whatever the worker array left in the store
                # (submitted with --dependency=afterany on the array, so it runs even when workers failed).
                set -eu
                """);
        s.append("exec ").append(quote(build.resolve("run.sh").toString())).append(" report --out=")
                .append(quote(out.toString())).append('\n');
        return s.toString();
    }

    private static void directive(StringBuilder s, String name, String value) {
        if (value != null) {
            s.append("#SBATCH --").append(name).append('=').append(value).append('\n');
        }
    }

    /** One shell word in single quotes. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Copies this process's class path into {@code slurm/build-ID} unless that build exists already:
     * folders under {@code classes/}, jars under {@code lib/} (hard links where the file system allows),
     * their order in {@code classpath.txt}, and {@code run.sh}.
     */
    private Path freeze(Path slurm) throws IOException {
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path p = Paths.get(e).toAbsolutePath().normalize();
            if (!e.isEmpty() && (Files.isDirectory(p) || Files.isRegularFile(p))) {
                entries.add(p);
            }
        }
        String code = Provenance.code();
        String id = buildId(entries, code);
        Path build = slurm.resolve("build-" + id);
        if (Files.isRegularFile(build.resolve("run.sh"))) {
            return build;
        }
        Path tmp = Files.createTempDirectory(slurm, ".build-" + id + "-");
        setMode(tmp, "rwxr-xr-x");
        StringBuilder cp = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            Path e = entries.get(i);
            String name = String.format("%02d-%s", i, e.getFileName());
            if (Files.isDirectory(e)) {
                name = String.format("%02d-%s-%s", i, e.getParent() == null || e.getParent().getParent() == null
                        ? "dir" : e.getParent().getParent().getFileName(), e.getFileName());
                FileTrees.copy(e, tmp.resolve("classes").resolve(name), p -> false);
                cp.append("classes/").append(name).append('\n');
            } else {
                Path target = tmp.resolve("lib").resolve(name);
                Files.createDirectories(target.getParent());
                try {
                    Files.createLink(target, e);
                } catch (IOException | UnsupportedOperationException linkFailed) {
                    Files.copy(e, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
                cp.append("lib/").append(name).append('\n');
            }
        }
        Files.writeString(tmp.resolve("classpath.txt"), cp.toString(), StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("VERSION"), code + "\n", StandardCharsets.UTF_8);
        writeScript(tmp.resolve("run.sh"), runScript(code));
        try {
            Files.move(tmp, build, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            FileTrees.delete(tmp); // another `cambench slurm` froze the same build first
        }
        return build;
    }

    /** The build id: the code version plus each class path entry (folders by content, jars by name and size). */
    private static String buildId(List<Path> entries, String code) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update((code + "\n").getBytes(StandardCharsets.UTF_8));
        for (Path e : entries) {
            md.update((e.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            if (Files.isDirectory(e)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(e)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    md.update((e.relativize(f) + "\n").getBytes(StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(f));
                }
            } else {
                md.update((Files.size(e) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest(), 0, 6);
    }

    /** run.sh: the launcher's engine settings (allocator, DJL cache, offline, JVM flags) around this build. */
    private static String runScript(String code) {
        String cache = System.getenv("DJL_CACHE_DIR");
        if (cache == null || cache.isBlank()) {
            cache = System.getProperty("DJL_CACHE_DIR", Paths.get(System.getProperty("user.home"), ".cambench",
                    ".cache", "djl").toString());
        }
        cache = Paths.get(cache).toAbsolutePath().normalize().toString();
        return """
                #!/usr/bin/env bash
                # Runs cambench from this frozen build (written by `cambench slurm`, never changed afterwards),
                # with the engine settings of the cambench launcher. CAMBENCH_JAVA (default java),
                # CAMBENCH_JAVA_OPTS (default -Xmx8g), CAMBENCH_ALLOCATOR and DJL_CACHE_DIR work as there.
                set -euo pipefail
                here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
                cp=""
                while IFS= read -r entry; do cp="${cp:+$cp:}$here/$entry"; done < "$here/classpath.txt"
                alloc="${CAMBENCH_ALLOCATOR:-auto}"
                tcmalloc=""
                for lib in $( (ldconfig -p 2>/dev/null || true) | awk '$1 == "libtcmalloc_minimal.so.4" { print $NF }') \\
                    /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4; do
                  if [ -f "$lib" ]; then tcmalloc="$lib"; break; fi
                done
                case "$alloc" in
                  auto|tcmalloc)
                    if [ -n "$tcmalloc" ]; then
                      case ":${LD_PRELOAD:-}:" in *":$tcmalloc:"*) ;; *) export LD_PRELOAD="$tcmalloc${LD_PRELOAD:+:$LD_PRELOAD}";; esac
                    elif [ "$alloc" = tcmalloc ]; then
                      echo "cambench: CAMBENCH_ALLOCATOR=tcmalloc but libtcmalloc_minimal.so.4 is not installed" >&2; exit 2
                    else
                      alloc=glibc
                    fi;;
                  glibc) ;;
                  *) echo "cambench: CAMBENCH_ALLOCATOR must be auto, tcmalloc or glibc, got '$alloc'" >&2; exit 2;;
                esac
                if [ "$alloc" = glibc ]; then
                  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
                  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
                  export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-68719476736}"
                fi
                export DJL_CACHE_DIR="${DJL_CACHE_DIR:-%s}"
                exec "${CAMBENCH_JAVA:-java}" ${CAMBENCH_JAVA_OPTS:--Xmx8g} -Xss4m -Djava.awt.headless=true \\
                  -Dai.djl.offline=true -Dai.djl.pytorch.graph_optimizer=false -DDJL_CACHE_DIR="$DJL_CACHE_DIR" \\
                  -Dcambench.code=%s -cp "$cp" cambench.app.Main "$@"
                """.formatted(cache.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"),
                quote(code));
    }

    private static void writeScript(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        setMode(tmp, "rwxr-xr-x");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException ignored) {
            p.toFile().setExecutable(true, false);
            p.toFile().setReadable(true, false);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs sbatch --parsable with {@code args}; returns the job id. */
    private static String sbatch(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UserException("sbatch did not answer within 120 s: " + String.join(" ", command));
        }
        String last = output.isEmpty() ? "" : output.lines().reduce((a, b) -> b).orElse("");
        String id = last.split(";")[0].strip();
        if (p.exitValue() != 0 || !id.matches("\\d+")) {
            throw new UserException("sbatch failed (exit " + p.exitValue() + "): "
                    + output.replace('\n', ' ') + " [" + String.join(" ", command) + "]");
        }
        return id;
    }
}
