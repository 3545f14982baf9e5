package cambench.results.report;

import cambench.results.plan.Plan;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.TableSpec;
import cambench.results.record.EpochMetrics;
import cambench.results.record.RunRecord;
import cambench.results.stats.Summary;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Convergence curves of one table column: the per-epoch test top-1 error of every row, mean over
 * seeds with a Student-t 95% band, as CSV and PNG (the paper's claim that CCM speeds up
 * convergence).
 */
public final class CurveWriter {
    private final Plan plan;
    private final Map<String, RunRecord> records;

    /** Curves of {@code records} (by key) for {@code plan}. */
    public CurveWriter(Plan plan, Map<String, RunRecord> records) {
        this.plan = plan;
        this.records = records;
    }

    /** Per-row, per-epoch summaries of the column's test error; rows without records are left out. */
    public Map<String, List<Summary>> curves(TableSpec t, String column) {
        Map<String, List<Summary>> out = new java.util.LinkedHashMap<>();
        for (TableSpec.Row row : t.rows()) {
            List<List<EpochMetrics>> runs = new ArrayList<>();
            for (PlannedCell p : plan.cells()) {
                RunRecord r = records.get(p.cell().key());
                if (r != null && p.table().equals(t.id()) && p.row().equals(row.id()) && p.column().equals(column)) {
                    runs.add(r.epochs());
                }
            }
            if (runs.isEmpty()) {
                continue;
            }
            int epochs = runs.stream().mapToInt(List::size).min().orElse(0);
            List<Summary> perEpoch = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                double[] v = new double[runs.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = runs.get(i).get(e).testTop1Error();
                }
                perEpoch.add(Summary.of(v));
            }
            out.put(row.label(), perEpoch);
        }
        return out;
    }

    /** CSV: {@code table,row,column,epoch,n,mean,ci_low,ci_high} (test top-1 error in %). */
    public String csv(TableSpec t, String column, Map<String, List<Summary>> curves) {
        StringBuilder b = new StringBuilder("table,row,column,epoch,n,mean,ci_low,ci_high\n");
        curves.forEach((row, list) -> {
            for (int e = 0; e < list.size(); e++) {
                Summary s = list.get(e);
                b.append(String.format(Locale.ROOT, "%s,\"%s\",%s,%d,%d,%.4f,%s,%s%n", t.id(), row, column, e + 1,
                        s.n(), s.mean(), Double.isNaN(s.ciLow()) ? "" : String.format(Locale.ROOT, "%.4f", s.ciLow()),
                        Double.isNaN(s.ciHigh()) ? "" : String.format(Locale.ROOT, "%.4f", s.ciHigh())));
            }
        });
        return b.toString();
    }

    /** PNG: one line per row with its CI band. */
    public byte[] png(TableSpec t, String column, Map<String, List<Summary>> curves) throws IOException {
        System.setProperty("java.awt.headless", "true");
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        curves.forEach((row, list) -> {
            YIntervalSeries s = new YIntervalSeries(row);
            for (int e = 0; e < list.size(); e++) {
                Summary m = list.get(e);
                double lo = Double.isNaN(m.ciLow()) ? m.mean() : m.ciLow();
                double hi = Double.isNaN(m.ciHigh()) ? m.mean() : m.ciHigh();
                s.add(e + 1, m.mean(), lo, hi);
            }
            data.addSeries(s);
        });
        DeviationRenderer renderer = new DeviationRenderer(true, false);
        renderer.setAlpha(0.15f);
        NumberAxis y = new NumberAxis("test top-1 error (%), mean and 95% CI over seeds");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, new NumberAxis("epoch"), y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        String label = t.columns().stream().filter(c -> c.id().equals(column)).findFirst()
                .map(TableSpec.Column::label).orElse(column);
        JFreeChart chart = new JFreeChart(t.id() + " convergence: " + label, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, 760, 480);
        return out.toByteArray();
    }
}
