package cambench.app;

import cambench.api.UserException;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.record.EpochMetrics;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cambench bench repeat}: trains one cell of a plan N times, each time in a fresh process on a
 * fresh copy of a store that holds only the cell's dependencies (its teacher, trained once), and
 * prints the distinct outcomes. An outcome is everything in the record that the run computed: the
 * final metrics, every epoch's losses, accuracies and errors and its step and parameter digests
 * ({@link EpochMetrics#stepsDigest()}), or the failure reason; timings and host are left out. Each
 * run's outcome is kept as {@code OUT/run-I.outcome.json} (diff two of them to see what differs), its
 * output as {@code OUT/run-I.log} and its store as {@code OUT/run-I/}.
 */
@Command(name = "repeat", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Train one cell N times from clean copies of its dependencies; print the distinct outcomes.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every run gave the same outcome", "2:a user mistake (one line)",
            "3:the runs gave more than one outcome"})
final class RepeatBenchCommand implements Callable<Integer> {
    /** Exit code when the runs disagree. */
    static final int DIFFERENT = 3;

    @Mixin
    PlanOptions planOptions;

    @Option(names = "--cell-index", description = "the cell (0-based, as reproduce --dry-run lists them)")
    Integer cellIndex;

    @Option(names = "--cell", description = "the cell: its key or file name as reproduce --dry-run lists it")
    String cellKey;

    @Option(names = "--times", defaultValue = "10", description = "how many times to train the cell")
    int times;

    @Mixin
    RunOptions run;

    @Mixin
    EngineOptions engine;

    @Mixin
    PluginOptions plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (times < 1) {
            throw new UserException("--times " + times + ": must be at least 1");
        }
        if ((cellIndex == null) == (cellKey == null)) {
            throw new UserException("give the cell with exactly one of --cell-index and --cell");
        }
        ClassLoader loader = plugins.loader();
        Plan plan = planOptions.plan(loader, plugins.objectives(loader), run.params, run.settings);
        List<Cell> cells = plan.distinctCells();
        Cell cell = CellChoice.pick(cells, cellIndex, cellKey, plan.hash());
        PrintStream log = ProgressStream.over(spec.commandLine().getErr());
        Path base = run.out.resolve("dependencies");
        Files.createDirectories(base);
        List<Cell> dependencies = dependenciesInOrder(cell, cells);
        log.printf(Locale.ROOT, "cambench: %s (plan %s), %d dependencies trained once into %s, then %d runs%n",
                cell.fileName(), plan.hash(), dependencies.size(), base, times);
        for (Cell d : dependencies) {
            if (new RunStore(base).find(d).isEmpty()) {
                int code = child(d, base, run.out.resolve("dependencies.log"));
                if (code != 0 || new RunStore(base).find(d).isEmpty()) {
                    throw new UserException("dependency " + d.fileName() + " did not train (exit " + code + "); see "
                            + run.out.resolve("dependencies.log"));
                }
            }
        }
        Map<String, List<Integer>> outcomes = new LinkedHashMap<>();
        Map<String, String> summaries = new LinkedHashMap<>();
        Map<String, List<EpochMetrics>> epochsOf = new LinkedHashMap<>();
        for (int i = 1; i <= times; i++) {
            Path copy = run.out.resolve("run-" + i);
            FileTrees.delete(copy);
            FileTrees.copy(base, copy, p -> p.startsWith(base.resolve("claims")));
            long start = System.nanoTime();
            child(cell, copy, run.out.resolve("run-" + i + ".log"));
            RunStore store = new RunStore(copy);
            String outcome;
            String summary;
            List<EpochMetrics> epochs = List.of();
            var record = store.find(cell);
            if (record.isPresent()) {
                epochs = record.get().epochs();
                outcome = RunStore.json().writeValueAsString(outcomeOf(record.get()));
                Files.writeString(run.out.resolve("run-" + i + ".outcome.json"), outcome);
                summary = String.format(Locale.ROOT, "top1_error %.2f, last epoch steps %s parameters %s",
                        record.get().metrics().getOrDefault("top1_error", Double.NaN),
                        epochs.isEmpty() ? "-" : epochs.get(epochs.size() - 1).stepsDigest(),
                        epochs.isEmpty() ? "-" : epochs.get(epochs.size() - 1).parametersDigest());
            } else {
                String reason = store.findFailure(cell).map(RunStore.Failure::reason)
                        .orElse("no record and no failure file (see " + copy + ".log)");
                outcome = "failed: " + reason;
                summary = outcome;
            }
            outcomes.computeIfAbsent(outcome, k -> new ArrayList<>()).add(i);
            summaries.putIfAbsent(outcome, summary);
            epochsOf.putIfAbsent(outcome, epochs);
            log.printf(Locale.ROOT, "run %d/%d: %s (%.1f s)%n", i, times, summary, (System.nanoTime() - start) / 1e9);
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d run(s), %d distinct outcome(s)%n", times, outcomes.size());
        List<EpochMetrics> first = epochsOf.values().iterator().next();
        int k = 0;
        for (Map.Entry<String, List<Integer>> e : outcomes.entrySet()) {
            k++;
            out.printf(Locale.ROOT, "outcome %d: %d run(s) %s: %s%s%n", k, e.getValue().size(), e.getValue(),
                    summaries.get(e.getKey()), k == 1 ? "" : firstDifference(first, epochsOf.get(e.getKey())));
        }
        out.flush();
        return outcomes.size() == 1 ? 0 : DIFFERENT;
    }

    /** What a run computed: final metrics and every epoch without its wall time. */
    static Map<String, Object> outcomeOf(RunRecord r) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (EpochMetrics e : r.epochs()) {
            epochs.add(new EpochMetrics(e.epoch(), e.lr(), e.trainLoss(), e.terms(), e.trainAccuracy(),
                    e.testTop1Error(), e.testTop5Error(), 0, e.stepsDigest(), e.parametersDigest()));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("metrics", r.metrics());
        o.put("epochs", epochs);
        o.put("samples", r.samples());
        return o;
    }

    /** Where {@code other} first departs from {@code first}, e.g. {@code "; differs from outcome 1 from epoch 3"}. */
    private static String firstDifference(List<EpochMetrics> first, List<EpochMetrics> other) {
        for (int i = 0; i < Math.min(first.size(), other.size()); i++) {
            EpochMetrics a = first.get(i);
            EpochMetrics b = other.get(i);
            if (!a.stepsDigest().equals(b.stepsDigest()) || !a.parametersDigest().equals(b.parametersDigest())
                    || a.testTop1Error() != b.testTop1Error()) {
                return "; departs from outcome 1 in epoch " + a.epoch();
            }
        }
        return "";
    }

    /** The cell's dependencies, transitively, in the plan's order (dependencies first). */
    private static List<Cell> dependenciesInOrder(Cell cell, List<Cell> cells) {
        List<String> needed = new ArrayList<>();
        List<Cell> todo = new ArrayList<>(Plan.dependencies(cell));
        while (!todo.isEmpty()) {
            Cell d = todo.remove(todo.size() - 1);
            if (!needed.contains(d.key())) {
                needed.add(d.key());
                todo.addAll(Plan.dependencies(d));
            }
        }
        return cells.stream().filter(c -> needed.contains(c.key())).toList();
    }

    /** Runs {@code reproduce --cell KEY} for {@code cell} on {@code store} in a new process; its output to {@code logFile}. */
    private int child(Cell cell, Path store, Path logFile) throws IOException {
        List<String> cmd = WorkerProcesses.javaCommand();
        cmd.add("reproduce");
        cmd.addAll(planOptions.asArguments());
        cmd.addAll(run.forwarded());
        cmd.addAll(plugins.forwarded());
        cmd.addAll(engine.forwarded(engine.threads));
        cmd.add("--cell=" + cell.key());
        cmd.add("--out=" + store);
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new IllegalStateException("interrupted while training " + cell.fileName(), e);
        }
    }
}
