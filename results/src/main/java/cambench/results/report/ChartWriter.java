package cambench.results.report;

import cambench.results.plan.TableSpec;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A grouped bar chart of one table: a group per column, a bar per row (ours, mean), whiskers at
 * the 95% CI half-width. PNG bytes, headless.
 */
public final class ChartWriter {
    private ChartWriter() {
    }

    /** Renders the table's aggregates ({@link TableAggregator#aggregate}, row-major) to PNG. */
    public static byte[] png(TableSpec table, Table cells, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (Row c : cells) {
            double half = (c.getDouble("ci_high") - c.getDouble("ci_low")) / 2;
            data.add(c.getDouble("mean"), Double.isNaN(half) ? 0 : half, c.getString("row_label"),
                    c.getString("column_label"));
        }
        CategoryAxis x = new CategoryAxis();
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis(table.metricLabel() + " (ours, 95% CI)");
        y.setAutoRangeIncludesZero(false);
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.BLACK);
        renderer.setDrawBarOutline(false);
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(table.id() + ": " + table.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new org.jfree.chart.title.TextTitle(subtitle));
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, Math.max(640, 140 * table.columns().size()), 520);
        return out.toByteArray();
    }
}
