package cambench.harness.run;

import cambench.harness.train.TrainingDivergedException;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs cells idempotently: a cell with a record is skipped, an unfinished one resumes from its
 * checkpoint (inside the protocol), a finished one's record is written atomically.
 */
public final class CellRunner {
    private final Protocols protocols;
    private final RunContext context;
    private List<String> failures = List.of();

    /** Creates a runner. */
    public CellRunner(Protocols protocols, RunContext context) {
        this.protocols = protocols;
        this.context = context;
    }

    /**
     * Runs every cell of {@code cells} that has no record yet.
     *
     * @return how many cells were run now (the rest were already done)
     */
    public int runAll(List<Cell> cells) {
        int ran = 0;
        List<String> diverged = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < cells.size(); i++) {
            try {
                if (runOne(cells.get(i), i, cells.size())) {
                    ran++;
                }
            } catch (TrainingDivergedException e) {
                diverged.add(cells.get(i).fileName() + ": " + e.getMessage());
                context.log().println("cambench: cell " + cells.get(i).fileName() + " failed, no record written: "
                        + e.getMessage());
            }
        }
        context.log().printf(Locale.ROOT, "%d cell(s) run, %d already done, %d failed, %.1f s%n", ran,
                cells.size() - ran - diverged.size(), diverged.size(), (System.nanoTime() - start) / 1e9);
        failures = List.copyOf(diverged);
        return ran;
    }

    /** The cells of the last {@link #runAll} whose training diverged (no record), with the reason. */
    public List<String> failures() {
        return failures;
    }

    /**
     * Runs one cell unless its record exists.
     *
     * @param index position in the plan (for progress)
     * @param total plan size
     * @return whether it ran
     */
    public boolean runOne(Cell cell, int index, int total) {
        RunStore store = context.store();
        String title = String.format(Locale.ROOT, "[%d/%d] %s %s %s %s s%d", index + 1, total, cell.protocol(),
                cell.dataset(), cell.model(), cell.objective(), cell.seed());
        if (store.find(cell).isPresent()) {
            context.log().println(title + " | done (record exists)");
            return false;
        }
        RunRecord record = protocols.get(cell.protocol()).run(cell, context.withTitle(title));
        store.save(record);
        StringBuilder metrics = new StringBuilder();
        record.metrics().entrySet().stream().filter(e -> !e.getKey().equals("parameters")).limit(3)
                .forEach(e -> metrics.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue())));
        context.log().printf(Locale.ROOT, "%s | finished:%s (%.1f s)%n", title, metrics, record.wallSeconds());
        return true;
    }
}
