package cambench.app;

import cambench.results.plan.PlanFile;
import cambench.results.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cambench report --out OUT}: tables from the records in a run store. */
@Command(name = "report", mixinStandardHelpOptions = true,
        header = "Write OUT/report/tableN.csv and .md from the run records (mean ± 95%% CI beside the paper).")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "run store folder written by reproduce")
    Path out;

    @Option(names = "--plan", description = "plan hash to render (OUT/plans/HASH.json; default: the latest,"
            + " OUT/plan.json)")
    String planHash;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunStore store = new RunStore(out);
        new Reporter(spec).write(store, planHash == null ? PlanFile.read(store) : PlanFile.read(store, planHash));
        return 0;
    }
}
