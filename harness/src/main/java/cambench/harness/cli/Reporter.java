package cambench.harness.cli;

import cambench.results.plan.Plan;
import cambench.results.report.ReportWriter;
import cambench.results.store.RunStore;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a run store's report ({@code OUT/report/}) and prints the files written on the command's
 * standard output, one a line, or a note on its standard error when there are no records yet.
 */
final class Reporter {
    private final PrintWriter out;
    private final PrintWriter err;

    /** A reporter printing through {@code spec}'s command line streams. */
    Reporter(CommandSpec spec) {
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
    }

    /**
     * Renders the tables of {@code plan} from every record of {@code store}.
     *
     * @return the files written (empty when the store has no records)
     */
    List<Path> write(RunStore store, Plan plan) throws IOException {
        List<cambench.results.record.RunRecord> records = store.all(w -> {
            err.println("cambench: warning: " + w);
            err.flush();
        });
        java.util.Map<String, String> failed = new java.util.HashMap<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        records.forEach(r -> done.add(r.key()));
        int missing = 0;
        for (cambench.results.plan.Cell c : plan.distinctCells()) {
            if (!done.contains(c.key())) {
                missing++;
                store.findFailure(c).ifPresent(f -> failed.put(c.key(), f.kind() + " at epoch " + f.epoch()));
            }
        }
        List<Path> files = new ReportWriter(plan, records, failed).write(store.root().resolve("report"));
        if (missing > 0) {
            err.println("cambench: report of a partial store: " + missing + " of " + plan.distinctCells().size()
                    + " cells have no record (" + failed.size() + " failed); the tables mark them");
            err.flush();
        }
        if (files.isEmpty()) {
            err.println("cambench: no records yet in " + store.runsDir() + "; nothing to report");
            err.flush();
        }
        for (Path f : files) {
            out.println(f);
        }
        out.flush();
        return files;
    }
}
