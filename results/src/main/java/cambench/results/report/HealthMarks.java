package cambench.results.report;

import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.TableSpec;
import cambench.results.record.RunRecord;
import cambench.results.record.TrainingHealth;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Marks the cells of a report table whose runs are flagged by their training health or failed
 * (docs/trust.md): a {@code health} column for the aggregate table (and so the CSV), e.g.
 * {@code at_chance 3/3} or {@code diverged 1/3; failed 1/3}, and a Markdown footnote naming each
 * such run with its reason. A record without health (written before it existed) marks nothing.
 */
final class HealthMarks {
    /** The column name. */
    static final String COLUMN = "health";
    /** The marker appended to a marked cell's Markdown text. */
    static final String MARKER = " †";

    private final Plan plan;
    private final Map<String, RunRecord> records;
    private final Map<String, String> failed;

    /**
     * @param records the records by key
     * @param failed the failed cells' reasons by key
     */
    HealthMarks(Plan plan, Map<String, RunRecord> records, Map<String, String> failed) {
        this.plan = plan;
        this.records = records;
        this.failed = failed;
    }

    /** {@code cells} (one row per spec cell, with row_index and column_index) with the {@code health} column added. */
    Table withColumn(TableSpec t, Table cells) {
        StringColumn marks = StringColumn.create(COLUMN);
        for (int i = 0; i < cells.rowCount(); i++) {
            marks.append(mark(runs(t, cells.intColumn("row_index").getInt(i), cells.intColumn("column_index").getInt(i))));
        }
        return cells.addColumns(marks);
    }

    /** The footnote listing every marked run of the table, or "" when none is. */
    String footnote(TableSpec t) {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            for (int c = 0; c < t.columns().size(); c++) {
                for (Cell cell : runs(t, r, c)) {
                    String why = reason(cell);
                    if (!why.isEmpty()) {
                        lines.add("- " + t.rows().get(r).label() + " / " + t.columns().get(c).label() + ": `"
                                + cell.fileName() + "`: " + why);
                    }
                }
            }
        }
        if (lines.isEmpty()) {
            return "";
        }
        return "\n†" + " Training health (docs/trust.md): runs whose record is flagged, or that failed and have no"
                + " record; flagged runs are in the numbers above, failed ones are not.\n\n" + String.join("\n", lines)
                + "\n";
    }

    private List<Cell> runs(TableSpec t, int row, int column) {
        String rowId = t.rows().get(row).id();
        String columnId = t.columns().get(column).id();
        Map<String, Cell> byKey = new LinkedHashMap<>();
        for (PlannedCell p : plan.cells()) {
            if (p.table().equals(t.id()) && p.row().equals(rowId) && p.column().equals(columnId)) {
                byKey.putIfAbsent(p.cell().key(), p.cell());
            }
        }
        return List.copyOf(byKey.values());
    }

    /** E.g. {@code diverged 1/3; at_chance 3/3; failed 1/3}; "" when no run is marked. */
    private String mark(List<Cell> runs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String flag : List.of(TrainingHealth.DIVERGED, TrainingHealth.AT_CHANCE, "failed")) {
            counts.put(flag, 0);
        }
        for (Cell c : runs) {
            RunRecord r = records.get(c.key());
            if (r != null) {
                r.healthFlags().forEach(f -> counts.merge(f, 1, Integer::sum));
            } else if (failed.containsKey(c.key())) {
                counts.merge("failed", 1, Integer::sum);
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((flag, n) -> {
            if (n > 0) {
                parts.add(flag + " " + n + "/" + runs.size());
            }
        });
        return String.join("; ", parts);
    }

    private String reason(Cell c) {
        RunRecord r = records.get(c.key());
        if (r != null) {
            return r.health() == null ? "" : r.health().flagReason();
        }
        return failed.containsKey(c.key()) ? "failed, no record: " + failed.get(c.key()) : "";
    }
}
