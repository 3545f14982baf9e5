package cambench.results.report;

import cambench.results.plan.Plan;
import cambench.results.plan.TableSpec;
import cambench.results.record.RunRecord;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.joining.JoinType;
import tech.tablesaw.table.TableSlice;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Convergence curves of one table column: the per-epoch test top-1 error of every row, mean over
 * seeds with a Student-t 95% band, as CSV and PNG (the paper's claim that CCM speeds up
 * convergence).
 */
public final class CurveWriter {
    /** The CSV columns, in order. */
    static final String[] CSV_COLUMNS = {"table", "row", "column", "epoch", "n", "mean", "ci_low", "ci_high"};

    /** Line and band colours, distinguishable on white (the default series colours include a pale yellow). */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private final RecordTable records;

    /** Curves of {@code records} (by key) for {@code plan}. */
    public CurveWriter(Plan plan, Map<String, RunRecord> records) {
        this.records = new RecordTable(plan, records);
    }

    /**
     * Per-row, per-epoch summaries of the column's test error (in %), rows in spec order, epochs
     * ascending; a row keeps the epochs that all its runs reached; rows without records are left
     * out. Columns: table, row (the row's label), column, row_index, epoch, n, mean, ci_low,
     * ci_high.
     */
    public Table curves(TableSpec t, String column) {
        Table epochs = records.epochs(t, column);
        Table perEpoch = SummaryFunctions.plainNames(epochs.summarize("test_top1_error",
                SummaryFunctions.meanAndCi()).by("row_index", "epoch"), "");
        Table runs = SummaryFunctions.plainNames(epochs.where(epochs.intColumn("epoch").isEqualTo(1))
                .summarize("test_top1_error", SummaryFunctions.N).by("row_index"), "runs_");
        Table curves = perEpoch.joinOn("row_index").type(JoinType.INNER).with(runs).join();
        curves = curves.where(curves.intColumn("n").isEqualTo(curves.intColumn("runs_n")))
                .sortOn("row_index", "epoch");
        int rows = curves.rowCount();
        StringColumn label = StringColumn.create("row");
        curves.intColumn("row_index").forEach(i -> label.append(t.rows().get(i).label()));
        return curves.addColumns(StringColumn.create("table", rows).setMissingTo(t.id()), label,
                StringColumn.create("column", rows).setMissingTo(column));
    }

    /** CSV: {@code table,row,column,epoch,n,mean,ci_low,ci_high}, numbers with four decimals. */
    public byte[] csv(Table curves) {
        return Csv.bytes(Csv.format(curves, Csv::fixed4, "mean", "ci_low", "ci_high"), CSV_COLUMNS);
    }

    /** PNG: one line per row over whole-epoch ticks, with its 95% CI band shaded in the line's colour. */
    public byte[] png(TableSpec t, String column, Table curves) throws IOException {
        System.setProperty("java.awt.headless", "true");
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (TableSlice row : curves.splitOn("row_index")) {
            YIntervalSeries s = new YIntervalSeries(row.iterator().next().getString("row"));
            for (Row r : row) {
                double mean = r.getDouble("mean");
                double lo = r.getDouble("ci_low");
                double hi = r.getDouble("ci_high");
                s.add(r.getInt("epoch"), mean, Double.isNaN(lo) ? mean : lo, Double.isNaN(hi) ? mean : hi);
            }
            data.addSeries(s);
        }
        String label = t.columns().stream().filter(c -> c.id().equals(column)).findFirst()
                .map(TableSpec.Column::label).orElse(column);
        JFreeChart chart = new JFreeChart(t.id() + " convergence: " + label, JFreeChart.DEFAULT_TITLE_FONT,
                plot(data), true);
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, 760, 480);
        return out.toByteArray();
    }

    /**
     * Mean lines with translucent bands; each band is given its line's colour (the renderer's
     * default fill is white, which left the bands invisible).
     */
    private static XYPlot plot(YIntervalSeriesCollection data) {
        DeviationRenderer renderer = new DeviationRenderer(true, false);
        renderer.setAlpha(0.18f);
        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("test top-1 error (%), mean and 95% CI over seeds");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            Color c = PALETTE[i % PALETTE.length];
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesFillPaint(i, c);
        }
        return plot;
    }
}
