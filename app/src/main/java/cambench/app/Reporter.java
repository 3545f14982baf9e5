package cambench.app;

import cambench.harness.run.Provenance;
import cambench.results.plan.Plan;
import cambench.results.record.RunRecord;
import cambench.results.report.ReportWriter;
import cambench.results.store.RunStore;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
        List<RunRecord> records = store.all(w -> {
            err.println("cambench: warning: " + w);
            err.flush();
        });
        Map<String, String> failed = new java.util.HashMap<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        records.forEach(r -> done.add(r.key()));
        int missing = 0;
        for (cambench.results.plan.Cell c : plan.distinctCells()) {
            if (!done.contains(c.key())) {
                missing++;
                store.findFailure(c).ifPresent(f -> failed.put(c.key(), f.kind() + " at epoch " + f.epoch()));
            }
        }
        Map<String, String> stale = Provenance.stale(records);
        List<Path> files = new ReportWriter(plan, records, failed).flagStale(stale)
                .write(store.root().resolve("report"));
        if (!stale.isEmpty()) {
            Map.Entry<String, String> first = stale.entrySet().iterator().next();
            err.println("cambench: warning: " + stale.size() + " of " + records.size() + " record(s) come from"
                    + " another code version (first: " + first.getKey() + ", " + first.getValue() + "); the report"
                    + " marks them; `cambench reproduce --rerun-stale` recomputes them");
            err.flush();
        }
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
