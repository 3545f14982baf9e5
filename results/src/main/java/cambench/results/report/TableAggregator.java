package cambench.results.report;

import cambench.results.plan.Plan;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.TableSpec;
import cambench.results.record.RunRecord;
import tech.tablesaw.aggregate.AggregateFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.joining.JoinType;
import tech.tablesaw.selection.Selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a plan and the finished run records into per-cell aggregates with tablesaw: the records
 * become a long table ({@link RecordTable}), grouped by (row, column) into the metric over seeds,
 * and joined with the baseline row on matching seeds into the paired gain.
 *
 * <p>For a table with per-unit samples ({@link TableSpec#pooledSamples}, few-shot episodes) the
 * unit of every statistic is still the seed: each seed contributes the mean of its samples, the
 * interval is Student t over seeds and the gain a paired t over seeds (a seed of the baseline row
 * draws the same episodes). The interval of all samples of all seeds pooled, mean +- 1.96 sd /
 * sqrt(n) (the few-shot field's convention, which ignores the variance between trainings), is kept
 * beside it as {@code ci95_pooled_episodes}.
 */
public final class TableAggregator {
    private final Plan plan;
    private final Map<String, RunRecord> recordsByKey;
    private final RecordTable records;

    /** Aggregates {@code records} (any order, extra records ignored) for {@code plan}. */
    public TableAggregator(Plan plan, List<RunRecord> records) {
        this.plan = plan;
        this.recordsByKey = new TreeMap<>();
        for (RunRecord r : records) {
            recordsByKey.put(r.key(), r);
        }
        this.records = new RecordTable(plan, recordsByKey);
    }

    /** Whether at least one cell of the table has a record. */
    public boolean hasRecords(TableSpec table) {
        return plan.cells().stream().anyMatch(p -> p.table().equals(table.id())
                && recordsByKey.containsKey(p.cell().key()));
    }

    /**
     * The aggregates of one table: one row per cell, row-major in spec order, cells without
     * records included (n = 0). Columns: table, row, column, row_label, column_label, row_index,
     * column_index, dataset_used, model_used, metric, paper, n, mean, sd, ci_low, ci_high,
     * gain_n, gain_mean, gain_sd, gain_ci_low, gain_ci_high, gain_p, diff_from_paper; a table
     * without per-unit samples adds best_n, best_mean, best_sd, best_ci_low and best_ci_high (the
     * best-epoch value over seeds, {@link cambench.results.record.BestEpoch}); a table
     * with per-unit samples adds n_episodes and ci95_pooled_episodes (the half-width 1.96 sd /
     * sqrt(n) over the samples of all seeds pooled; missing when n_episodes < 2). n counts seeds.
     * The gain columns are missing for the baseline and teacher rows and where no seed pairs up.
     */
    public Table aggregate(TableSpec table) {
        Table all = records.values(table);
        Table values = seedValues(table, all);
        Table stats = SummaryFunctions.plainNames(values.summarize("value", SummaryFunctions.meanAndCi())
                .by("row_index", "column_index"), "");
        List<Table> joined = new ArrayList<>(List.of(stats, gains(table, values)));
        if (table.pooledSamples()) {
            joined.add(SummaryFunctions.plainNames(samples(table, all).summarize("value",
                    SummaryFunctions.POOLED_EPISODES).by("row_index", "column_index"), ""));
        } else {
            joined.add(bestEpochs(table));
        }
        Table cells = skeleton(table).joinOn("row_index", "column_index").type(JoinType.LEFT_OUTER)
                .with(joined.toArray(new Table[0])).join().sortOn("row_index", "column_index");
        zeroMissing(cells.intColumn("n"));
        if (table.pooledSamples()) {
            zeroMissing(cells.intColumn("n_episodes"));
        } else {
            zeroMissing(cells.intColumn("best_n"));
        }
        DoubleColumn diff = cells.doubleColumn("mean").subtract(cells.doubleColumn("paper"));
        return cells.addColumns(diff.setName("diff_from_paper"));
    }

    /**
     * Each cell's best-epoch value over seeds ({@link cambench.results.record.BestEpoch}): mean and
     * Student-t CI, columns best_n, best_mean, best_sd, best_ci_low, best_ci_high.
     */
    private Table bestEpochs(TableSpec table) {
        Table best = records.bestEpochs(table);
        if (best.isEmpty()) {   // tablesaw cannot summarise an empty table: one column set of missing values
            Table none = Table.create("best", IntColumn.create("row_index"), IntColumn.create("column_index"),
                    IntColumn.create("best_n"));
            for (String c : new String[] {"best_mean", "best_sd", "best_ci_low", "best_ci_high"}) {
                none.addColumns(DoubleColumn.create(c));
            }
            return none;
        }
        return SummaryFunctions.plainNames(best.summarize("value", SummaryFunctions.meanAndCi())
                .by("row_index", "column_index"), "best_");
    }

    private static void zeroMissing(IntColumn n) {
        n.set(n.isMissing(), 0);
    }

    /**
     * The values each cell aggregates, one per seed, sorted by (row, column, unit), the pairing
     * order: the record's metric, or for a table with per-unit samples the mean of the record's
     * samples of that metric. Columns: row, row_index, column_index, unit (the seed), value.
     */
    private static Table seedValues(TableSpec table, Table all) {
        if (!table.pooledSamples()) {
            return all.where(wantedMetric(table, all).and(all.intColumn("sample").isEqualTo(RecordTable.RUN_VALUE)))
                    .selectColumns("row", "row_index", "column_index", "unit", "value")
                    .sortOn("row_index", "column_index", "unit");
        }
        Table perSeed = SummaryFunctions.plainNames(samples(table, all).summarize("value", SummaryFunctions.MEAN)
                .by("row", "row_index", "column_index", "seed"), "");
        perSeed.column("mean").setName("value");
        StringColumn unit = StringColumn.create("unit");
        perSeed.longColumn("seed").forEach(seed -> unit.append(Long.toString(seed)));
        return perSeed.addColumns(unit).selectColumns("row", "row_index", "column_index", "unit", "value")
                .sortOn("row_index", "column_index", "unit");
    }

    /** The per-unit samples (episodes) of every column's metric, sorted by (row, column, unit). */
    private static Table samples(TableSpec table, Table all) {
        return all.where(wantedMetric(table, all).and(all.intColumn("sample").isGreaterThanOrEqualTo(0)))
                .sortOn("row_index", "column_index", "unit");
    }

    /** The lines of {@code all} that hold their column's metric. */
    private static Selection wantedMetric(TableSpec table, Table all) {
        Selection wanted = Selection.with();
        for (int c = 0; c < table.columns().size(); c++) {
            wanted.or(all.intColumn("column_index").isEqualTo(c)
                    .and(all.stringColumn("metric").isEqualTo(table.metricOf(table.columns().get(c)))));
        }
        return wanted;
    }

    /**
     * The paired gain over the baseline row per cell: values joined with the baseline's on
     * (column, unit), differences oriented so that positive is better, summarised per cell.
     */
    private static Table gains(TableSpec table, Table values) {
        Table rows = table.baselineRow() == null ? values.emptyCopy() : values;
        StringColumn row = rows.stringColumn("row");
        Table base = rows.where(row.isEqualTo(String.valueOf(table.baselineRow())))
                .selectColumns("column_index", "unit", "value");
        base.column("value").setName("base");
        Table pairs = rows.where(row.isIn(gainRows(table))).joinOn("column_index", "unit")
                .type(JoinType.INNER).with(base).join().sortOn("row_index", "column_index", "unit");
        DoubleColumn v = pairs.doubleColumn("value");
        DoubleColumn b = pairs.doubleColumn("base");
        pairs.addColumns((table.lowerIsBetter() ? b.subtract(v) : v.subtract(b)).setName("gain"));
        return SummaryFunctions.plainNames(pairs.summarize("gain", gainFunctions())
                .by("row_index", "column_index"), "gain_");
    }

    /** Rows that get a gain: all but the baseline and the teacher. */
    private static List<String> gainRows(TableSpec table) {
        return table.rows().stream().filter(r -> !r.id().equals(table.baselineRow())
                && !r.objective().equals(TableSpec.TEACHER_ROW)).map(TableSpec.Row::id).toList();
    }

    private static AggregateFunction<?, ?>[] gainFunctions() {
        List<AggregateFunction<?, ?>> stats = new ArrayList<>(List.of(SummaryFunctions.meanAndCi()));
        stats.add(SummaryFunctions.PAIRED_P);
        return stats.toArray(new AggregateFunction<?, ?>[0]);
    }

    /** One row per spec cell with what the plan says about it: labels, data set and model used, paper value. */
    private Table skeleton(TableSpec table) {
        Table t = Table.create(table.id(), StringColumn.create("table"), StringColumn.create("row"),
                StringColumn.create("column"), StringColumn.create("row_label"), StringColumn.create("column_label"),
                IntColumn.create("row_index"), IntColumn.create("column_index"), StringColumn.create("dataset_used"),
                StringColumn.create("model_used"), StringColumn.create("metric"), DoubleColumn.create("paper"));
        for (int r = 0; r < table.rows().size(); r++) {
            for (int c = 0; c < table.columns().size(); c++) {
                addCell(t, table, r, c);
            }
        }
        return t;
    }

    private void addCell(Table t, TableSpec table, int r, int c) {
        TableSpec.Row row = table.rows().get(r);
        TableSpec.Column col = table.columns().get(c);
        // a cell the preset omits is not planned: its row shows the column's stand-ins and no value
        java.util.Optional<PlannedCell> any = plan.cells().stream().filter(p -> p.table().equals(table.id())
                && p.row().equals(row.id()) && p.column().equals(col.id())).findFirst();
        t.stringColumn("table").append(table.id());
        t.stringColumn("row").append(row.id());
        t.stringColumn("column").append(col.id());
        t.stringColumn("row_label").append(row.markedLabel());
        t.stringColumn("column_label").append(col.label());
        t.intColumn("row_index").append(r);
        t.intColumn("column_index").append(c);
        t.stringColumn("dataset_used").append(any.map(p -> p.cell().dataset())
                .orElse(plan.preset().dataset(table.id(), col.dataset())));
        t.stringColumn("model_used").append(any.map(p -> p.cell().model())
                .orElse(plan.preset().model(table.id(), col.model())));
        t.stringColumn("metric").append(table.metricOf(col));
        Double paper = row.paperValue(c);
        if (paper == null) {
            t.doubleColumn("paper").appendMissing();
        } else {
            t.doubleColumn("paper").append(paper);
        }
    }
}
