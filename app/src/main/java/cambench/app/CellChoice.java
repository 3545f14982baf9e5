package cambench.app;

import cambench.api.UserException;
import cambench.results.plan.Cell;
import java.util.List;

/** The one cell of a plan that {@code --cell-index} or {@code --cell} names (reproduce, bench repeat). */
final class CellChoice {
    private CellChoice() {
    }

    /**
     * The cell at {@code index} (0-based, as {@code reproduce --dry-run} lists them), or the one whose
     * key or file name is {@code key}; null when both are null. The caller checks that at most one is given.
     */
    static Cell pick(List<Cell> cells, Integer index, String key, String planHash) {
        if (index != null) {
            if (index < 0 || index >= cells.size()) {
                throw new UserException("--cell-index " + index + " is outside 0.." + (cells.size() - 1)
                        + " (plan " + planHash + ")");
            }
            return cells.get(index);
        }
        if (key == null) {
            return null;
        }
        for (Cell c : cells) {
            if (c.key().equals(key) || c.fileName().equals(key)) {
                return c;
            }
        }
        throw new UserException("--cell " + key + ": no such cell in plan " + planHash + " (" + cells.size()
                + " cells; see --dry-run)");
    }
}
