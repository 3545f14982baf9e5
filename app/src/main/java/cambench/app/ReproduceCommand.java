package cambench.app;

import ai.djl.Device;
import cambench.api.Objectives;
import cambench.harness.run.CellRunner;
import cambench.harness.run.Protocols;
import cambench.harness.run.RunContext;
import cambench.api.UserException;
import cambench.results.plan.Plan;
import cambench.results.plan.PlanFile;
import cambench.results.plan.Cell;
import cambench.results.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cambench reproduce}: plan a preset's tables, run the missing cells as one worker among any
 * number on the same store (or start {@code --workers N} of them), write the report.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Plan the cells of a preset, run those without a record, then write the report.")
final class ReproduceCommand implements Callable<Integer> {
    @Mixin
    PlanOptions planOptions;

    @Option(names = "--cell-index", description = "run only this cell of the plan (0-based, as --dry-run lists"
            + " them; Slurm array index); with --plan, checked against that plan")
    Integer cellIndex;

    @Option(names = "--cell", description = "run only this cell: its key or file name as --dry-run lists it")
    String cellKey;

    @Option(names = "--plan", description = "the plan hash this command must compute (from --dry-run or"
            + " OUT/plans/); refuses to run when the options give another plan")
    String planHash;

    @Option(names = "--workers", defaultValue = "1",
            description = "worker processes started on this store, each with --threads threads")
    int workers;

    @Option(names = "--worker-id", hidden = true, description = "this worker's name (set by --workers)")
    String workerId;

    @Option(names = "--no-report", hidden = true, description = "leave the report to the parent (set by --workers)")
    boolean noReport;

    @Option(names = "--claim-timeout", defaultValue = "600", description = "seconds without a heartbeat after"
            + " which another worker's claim on a cell is stale and the cell is taken over")
    int claimTimeout;

    @Option(names = "--wait", description = "when nothing is left for this worker, wait for the cells other"
            + " workers are running, then report")
    boolean waitForOthers;

    @Option(names = "--retry-failed", description = "train cells with a failure (OUT/failed/) again")
    boolean retryFailed;

    @Option(names = "--dry-run", description = "print the planned cells (index, name, dependencies) and exit")
    boolean dryRun;

    @Option(names = "--rerun-stale", description = "run again the cells whose record comes from another code"
            + " version or plugin build (the old record moves to OUT/stale/)")
    boolean rerunStale;

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
        ClassLoader loader = plugins.loader();
        Objectives objectives = plugins.objectives(loader);
        Plan plan = planOptions.plan(loader, objectives, run.params, run.settings);
        List<Cell> cells = plan.distinctCells();
        String hash = plan.hash();
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            indexOf.put(cells.get(i).key(), i);
        }
        if (dryRun) {
            PrintWriter stdout = spec.commandLine().getOut();
            for (int i = 0; i < cells.size(); i++) {
                StringBuilder line = new StringBuilder(i + "\t" + cells.get(i).fileName());
                for (Cell d : Plan.dependencies(cells.get(i))) {
                    line.append("\tneeds ").append(indexOf.get(d.key())).append(' ').append(d.fileName());
                }
                stdout.println(line);
            }
            stdout.flush();
            spec.commandLine().getErr().println("cambench: plan " + hash + ", " + cells.size() + " cells (run one"
                    + " with --plan " + hash + " --cell-index I)");
            spec.commandLine().getErr().flush();
            return 0;
        }
        Cell only = validate(plan, cells, hash);
        RunStore store = new RunStore(run.out);
        PrintStream log = ProgressStream.over(spec.commandLine().getErr());
        if (workers > 1) {
            PlanFile.write(store, plan);
            if (rerunStale) {   // once, here: the children must not move records under each other
                StaleRecords.setAside(store, cells, log);
            }
            log.println("cambench: preset " + plan.preset().name() + ", plan " + hash + ", " + cells.size()
                    + " cells, store " + run.out + ", " + workers + " workers x " + engine.threads + " threads");
            int code = WorkerProcesses.run(workers, childArgs(), log);
            new Reporter(spec).write(store, plan);
            return code;
        }
        Device device = engine.start();
        PlanFile.write(store, plan);
        RunContext context = new RunContext(store, run.catalog(), objectives, engine.threads, device, log, "");
        String worker = workerId != null ? workerId : "pid" + ProcessHandle.current().pid();
        if (rerunStale) {
            StaleRecords.setAside(store, only != null ? List.of(only) : cells, log);
        }
        CellRunner runner = new CellRunner(new Protocols(loader), context, new CellRunner.Options(worker,
                Duration.ofSeconds(claimTimeout), retryFailed, waitForOthers, Duration.ofSeconds(2)));
        log.println("cambench: preset " + plan.preset().name() + ", plan " + hash + ", " + cells.size()
                + " cells, store " + run.out);
        if (only != null) {
            runner.runOne(only, indexOf.get(only.key()), cells.size());
            return 0;
        }
        runner.runAll(cells);
        if (runner.summary().leftToOthers() > 0) {
            log.println("cambench: " + runner.summary().leftToOthers() + " cell(s) are being trained by other"
                    + " workers; `cambench status --out " + run.out + "` follows them (--wait waits for them)");
        }
        if (!noReport) {
            new Reporter(spec).write(store, plan);
        }
        if (!runner.failures().isEmpty()) {
            throw new UserException(runner.failures().size() + " cell(s) failed and have no record (OUT/failed/;"
                    + " the report shows them as missing, --retry-failed retries); first: "
                    + runner.failures().get(0));
        }
        return 0;
    }

    /**
     * Checks every option against the computed plan before anything is written to the store.
     *
     * @return the single cell asked for (--cell, --cell-index), or null
     */
    private Cell validate(Plan plan, List<Cell> cells, String hash) {
        if (planHash != null && !planHash.equals(hash)) {
            throw new UserException("--plan " + planHash + ": these options plan " + hash + " (" + cells.size()
                    + " cells) instead; use the same --preset/--tables/--seeds/--losses/--regularizers/--include-omitted"
                    + "/--param/--setting as for " + planHash);
        }
        if (workers < 1) {
            throw new UserException("--workers " + workers + ": must be at least 1");
        }
        if (claimTimeout < 1) {
            throw new UserException("--claim-timeout " + claimTimeout + ": must be at least 1 second");
        }
        if (cellIndex != null && cellKey != null) {
            throw new UserException("--cell and --cell-index: give one of them");
        }
        if ((cellIndex != null || cellKey != null) && workers > 1) {
            throw new UserException("--workers " + workers + ": runs the whole plan; not with --cell/--cell-index");
        }
        return CellChoice.pick(cells, cellIndex, cellKey, hash);
    }

    /** This command's arguments for a child worker: without --workers, with a worker id and no report. */
    private List<String> childArgs() {
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        List<String> out = new ArrayList<>();
        int from = !original.isEmpty() && original.get(0).equals("reproduce") ? 1 : 0;
        for (int i = from; i < original.size(); i++) {
            String a = original.get(i);
            if (a.equals("--workers")) {
                i++;
                continue;
            }
            if (a.startsWith("--workers=") || a.equals("--rerun-stale")) {
                continue;
            }
            out.add(a);
        }
        out.add("--no-report");
        return out;
    }
}
