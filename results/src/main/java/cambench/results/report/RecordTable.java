package cambench.results.report;

import cambench.results.plan.Plan;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.TableSpec;
import cambench.results.record.BestEpoch;
import cambench.results.record.EpochMetrics;
import cambench.results.record.RunRecord;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Run records of one paper table as long tablesaw tables with explicit column types (nothing is
 * parsed or inferred): {@link #values} has a row per record x metric (and per sample of a metric
 * with per-unit samples), {@link #epochs} a row per record x epoch.
 */
final class RecordTable {
    /** The {@code sample} of a record's own (whole-run) metric value. */
    static final int RUN_VALUE = -1;

    private final Plan plan;
    private final Map<String, RunRecord> recordsByKey;

    /** Tables of {@code recordsByKey} placed by {@code plan}. */
    RecordTable(Plan plan, Map<String, RunRecord> recordsByKey) {
        this.plan = plan;
        this.recordsByKey = recordsByKey;
    }

    /**
     * One row per (planned cell of {@code spec} with a record) x metric: the record's final value
     * ({@code sample} = {@link #RUN_VALUE}, {@code unit} = the seed) and every per-unit sample
     * ({@code sample} = its index, {@code unit} = {@code seed:index}). Columns: row, column,
     * row_index, column_index, seed, metric, sample, unit, value.
     *
     * @throws IllegalArgumentException when a record lacks its column's metric
     * @throws IllegalStateException when a pooled table's record lacks that metric's samples
     */
    Table values(TableSpec spec) {
        Table t = Table.create(spec.id() + " records", StringColumn.create("row"), StringColumn.create("column"),
                IntColumn.create("row_index"), IntColumn.create("column_index"), LongColumn.create("seed"),
                StringColumn.create("metric"), IntColumn.create("sample"), StringColumn.create("unit"),
                DoubleColumn.create("value"));
        for (PlannedCell p : plan.cells()) {
            RunRecord r = p.table().equals(spec.id()) ? recordsByKey.get(p.cell().key()) : null;
            if (r == null) {
                continue;
            }
            int row = rowIndex(spec, p.row());
            int col = columnIndex(spec, p.column());
            requireMetric(spec, spec.columns().get(col), r);
            long seed = p.cell().seed();
            new TreeMap<>(r.metrics()).forEach((metric, v) ->
                    addValue(t, p, row, col, metric, RUN_VALUE, Long.toString(seed), v));
            new TreeMap<>(r.samples()).forEach((metric, samples) -> {
                for (int i = 0; i < samples.size(); i++) {
                    addValue(t, p, row, col, metric, i, seed + ":" + i, samples.get(i));
                }
            });
        }
        return t;
    }

    /**
     * One row per planned cell of {@code spec} with a record whose column metric has a best-epoch
     * value ({@link BestEpoch}): row_index, column_index, unit (the seed), value.
     */
    Table bestEpochs(TableSpec spec) {
        IntColumn rowIndex = IntColumn.create("row_index");
        IntColumn columnIndex = IntColumn.create("column_index");
        StringColumn unit = StringColumn.create("unit");
        DoubleColumn value = DoubleColumn.create("value");
        for (PlannedCell p : plan.cells()) {
            RunRecord r = p.table().equals(spec.id()) ? recordsByKey.get(p.cell().key()) : null;
            if (r == null) {
                continue;
            }
            int col = columnIndex(spec, p.column());
            BestEpoch.of(r, spec.metricOf(spec.columns().get(col))).ifPresent(v -> {
                rowIndex.append(rowIndex(spec, p.row()));
                columnIndex.append(col);
                unit.append(Long.toString(p.cell().seed()));
                value.append(v);
            });
        }
        return Table.create(spec.id() + " best epochs", rowIndex, columnIndex, unit, value);
    }

    /**
     * One row per (record of {@code spec}'s column {@code column}) x epoch, in plan order.
     * Columns: row_index, seed, epoch (1-based position in the record), test_top1_error.
     */
    Table epochs(TableSpec spec, String column) {
        IntColumn rowIndex = IntColumn.create("row_index");
        LongColumn seed = LongColumn.create("seed");
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn error = DoubleColumn.create("test_top1_error");
        for (PlannedCell p : plan.cells()) {
            RunRecord r = recordsByKey.get(p.cell().key());
            if (r == null || !p.table().equals(spec.id()) || !p.column().equals(column)) {
                continue;
            }
            List<EpochMetrics> epochs = r.epochs();
            for (int e = 0; e < epochs.size(); e++) {
                rowIndex.append(rowIndex(spec, p.row()));
                seed.append(p.cell().seed());
                epoch.append(e + 1);
                error.append(epochs.get(e).testTop1Error());
            }
        }
        return Table.create(spec.id() + " epochs", rowIndex, seed, epoch, error);
    }

    private static void addValue(Table t, PlannedCell p, int row, int col, String metric, int sample, String unit,
            double value) {
        t.stringColumn("row").append(p.row());
        t.stringColumn("column").append(p.column());
        t.intColumn("row_index").append(row);
        t.intColumn("column_index").append(col);
        t.longColumn("seed").append(p.cell().seed());
        t.stringColumn("metric").append(metric);
        t.intColumn("sample").append(sample);
        t.stringColumn("unit").append(unit);
        t.doubleColumn("value").append(value);
    }

    private static void requireMetric(TableSpec spec, TableSpec.Column column, RunRecord r) {
        String metric = spec.metricOf(column);
        if (!spec.pooledSamples()) {
            r.metric(metric);
        } else if (r.samples().get(metric) == null) {
            throw new IllegalStateException("record " + r.key() + " has no samples of " + metric);
        }
    }

    static int rowIndex(TableSpec spec, String row) {
        for (int i = 0; i < spec.rows().size(); i++) {
            if (spec.rows().get(i).id().equals(row)) {
                return i;
            }
        }
        throw new IllegalStateException(spec.id() + " has no row " + row);
    }

    static int columnIndex(TableSpec spec, String column) {
        for (int i = 0; i < spec.columns().size(); i++) {
            if (spec.columns().get(i).id().equals(column)) {
                return i;
            }
        }
        throw new IllegalStateException(spec.id() + " has no column " + column);
    }
}
