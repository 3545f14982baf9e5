package cambench.harness.cli;

import cambench.results.plan.Plan;
import cambench.results.plan.PlanFile;
import cambench.results.report.ReportWriter;
import cambench.results.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cambench report --out OUT}: tables from the records in a run store. */
@Command(name = "report", mixinStandardHelpOptions = true,
        header = "Write OUT/report/tableN.csv and .md from the run records (mean ± 95%% CI beside the paper).")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "run store folder written by reproduce")
    Path out;

    @Override
    public Integer call() throws IOException {
        RunStore store = new RunStore(out);
        writeReport(store, PlanFile.read(store));
        return 0;
    }

    static void writeReport(RunStore store, Plan plan) throws IOException {
        List<Path> files = new ReportWriter(plan, store.all()).write(store.root().resolve("report"));
        if (files.isEmpty()) {
            System.err.println("cambench: no records yet in " + store.runsDir() + "; nothing to report");
        }
        for (Path f : files) {
            System.out.println(f);
        }
    }
}
