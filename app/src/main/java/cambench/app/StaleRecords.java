package cambench.app;

import cambench.harness.run.Provenance;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/** {@code reproduce --rerun-stale}: moves records of another code version aside so that their cells run again. */
final class StaleRecords {
    private StaleRecords() {
    }

    /**
     * Moves the record of every cell of {@code cells} that {@link Provenance#staleReason} calls
     * stale to {@code OUT/stale/KEY.json} (replacing an older one there), logging each.
     *
     * @return how many records were moved
     */
    static int setAside(RunStore store, List<Cell> cells, PrintStream log) throws IOException {
        int moved = 0;
        for (Cell cell : cells) {
            Optional<RunRecord> record = store.find(cell);
            String why = record.map(r -> Provenance.staleReason(r.environment())).orElse(null);
            if (why == null) {
                continue;
            }
            Path from = store.recordPath(cell);
            Path to = store.root().resolve("stale").resolve(from.getFileName());
            Files.createDirectories(to.getParent());
            try {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                continue; // another worker moved it first
            }
            log.println("cambench: " + cell.fileName() + ": stale record (" + why + ") moved to " + to
                    + "; the cell runs again");
            moved++;
        }
        return moved;
    }
}
