package cambench.harness.cli;

import ai.djl.Device;
import cambench.api.Objectives;
import cambench.harness.run.CellRunner;
import cambench.results.plan.PlanBuilder;
import cambench.results.plan.PlanResources;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cambench reproduce}: plan a preset's tables, run the missing cells, write the report. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Plan the cells of a preset, run those without a record, then write the report.")
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--preset", required = true, description = "smoke, quick, cpu or paper")
    String preset;

    @Option(names = "--tables", split = ",",
            description = "table numbers to keep, e.g. 3,4 (default: all of the preset)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--seeds", description = "number of seeds (default: the preset's)")
    Integer seeds;

    @Option(names = "--losses", split = ",", description = "extra objectives added as rows everywhere, e.g. +focal")
    List<String> losses = new ArrayList<>();

    @Option(names = "--regularizers", split = ",",
            description = "extra regularizers (e.g. a plugin's) added as rows objective+R to tables with regularizer rows")
    List<String> regularizers = new ArrayList<>();

    @Option(names = "--cell-index", description = "run only this cell of the plan (0-based; Slurm array index)")
    Integer cellIndex;

    @Option(names = "--dry-run", description = "print the planned cells and exit")
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
        List<String> extra = new ArrayList<>();
        for (String l : losses) {
            extra.add(l.startsWith("+") ? l.substring(1) : l);
        }
        Protocols protocols = new Protocols(loader);
        Plan plan = new PlanBuilder(new PlanResources(loader), objectives, protocols::settings).build(preset, tables,
                seeds, extra, run.params, regularizers, run.settings);
        List<Cell> cells = plan.distinctCells();
        if (dryRun) {
            PrintWriter stdout = spec.commandLine().getOut();
            for (int i = 0; i < cells.size(); i++) {
                stdout.println(i + "\t" + cells.get(i).fileName());
            }
            stdout.flush();
            return 0;
        }
        RunStore store = new RunStore(run.out);
        PlanFile.write(store, plan);
        Device device = engine.start();
        PrintStream log = ProgressStream.over(spec.commandLine().getErr());
        RunContext context = new RunContext(store, run.catalog(), objectives, engine.threads,
                device, log, "");
        CellRunner runner = new CellRunner(protocols, context);
        log.println("cambench: preset " + plan.preset().name() + ", " + cells.size() + " cells, store " + run.out);
        if (cellIndex != null) {
            if (cellIndex < 0 || cellIndex >= cells.size()) {
                throw new UserException("--cell-index " + cellIndex + " is outside 0.." + (cells.size() - 1));
            }
            if (rerunStale) {
                StaleRecords.setAside(store, List.of(cells.get(cellIndex)), log);
            }
            runner.runOne(cells.get(cellIndex), cellIndex, cells.size());
            return 0;
        }
        if (rerunStale) {
            StaleRecords.setAside(store, cells, log);
        }
        runner.runAll(cells);
        new Reporter(spec).write(store, plan);
        if (!runner.failures().isEmpty()) {
            throw new UserException(runner.failures().size() + " cell(s) diverged and have no record (the report"
                    + " shows them as missing); first: " + runner.failures().get(0));
        }
        return 0;
    }
}
