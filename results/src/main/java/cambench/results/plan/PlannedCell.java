package cambench.results.plan;

import cambench.results.plan.Cell;

/**
 * A cell placed in a table: which row, column and seed of which table it fills.
 *
 * @param table table id
 * @param row row id
 * @param column column id
 * @param cell the work itself (several tables may share one cell)
 */
public record PlannedCell(String table, String row, String column, Cell cell) {
}
