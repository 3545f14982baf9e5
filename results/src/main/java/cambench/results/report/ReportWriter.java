package cambench.results.report;

import cambench.results.plan.Plan;
import cambench.results.plan.TableSpec;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code tableN.csv} and {@code tableN.md} for every table of a plan that has records:
 * ours (mean +- 95% CI over seeds, n) beside the paper's number, and the paired gain over the
 * baseline row. Numbers come only from run records.
 */
public final class ReportWriter {
    private final Plan plan;
    private final TableAggregator aggregator;
    private final Map<String, RunRecord> recordsByKey = new TreeMap<>();

    /** Prepares a report of {@code records} for {@code plan}. */
    public ReportWriter(Plan plan, List<RunRecord> records) {
        this.plan = plan;
        this.aggregator = new TableAggregator(plan, records);
        records.forEach(r -> recordsByKey.put(r.key(), r));
    }

    /**
     * Writes the files into {@code dir} (atomically, one by one).
     *
     * @return the files written
     */
    public List<Path> write(Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (TableSpec t : plan.tables()) {
            if (!aggregator.hasRecords(t)) {
                continue;
            }
            List<CellResult> cells = aggregator.aggregate(t);
            Path csv = dir.resolve(t.id() + ".csv");
            Path md = dir.resolve(t.id() + ".md");
            RunStore.writeAtomically(csv, csv(t, cells).getBytes(StandardCharsets.UTF_8));
            RunStore.writeAtomically(md, markdown(t, cells).getBytes(StandardCharsets.UTF_8));
            Path png = dir.resolve(t.id() + ".png");
            RunStore.writeAtomically(png, ChartWriter.png(t, cells, "preset " + plan.preset().name()
                    + (plan.preset().datasets().isEmpty() ? "" : " (scaled-down analogue, see " + t.id() + ".md)")));
            written.add(csv);
            written.add(md);
            written.add(png);
            if (t.curves() != null) {
                CurveWriter curves = new CurveWriter(plan, recordsByKey);
                var series = curves.curves(t, t.curves());
                Path curveCsv = dir.resolve(t.id() + "_curves.csv");
                Path curvePng = dir.resolve(t.id() + "_curves.png");
                RunStore.writeAtomically(curveCsv, curves.csv(t, t.curves(), series).getBytes(StandardCharsets.UTF_8));
                RunStore.writeAtomically(curvePng, curves.png(t, t.curves(), series));
                written.add(curveCsv);
                written.add(curvePng);
            }
        }
        return written;
    }

    /** The CSV text: one line per (row, column). */
    public String csv(TableSpec t, List<CellResult> cells) {
        StringBuilder b = new StringBuilder("table,row,column,dataset_used,model_used,metric,n,mean,sd,ci_low,ci_high,"
                + "paper,diff_from_paper,gain_n,gain_mean,gain_ci_low,gain_ci_high,gain_p\n");
        for (CellResult c : cells) {
            b.append(String.join(",", c.table(), c.row(), c.column(), csvText(c.datasetUsed()), csvText(c.modelUsed()),
                    t.metricOf(t.columns().stream().filter(col -> col.id().equals(c.column())).findFirst()
                            .orElseThrow()), Integer.toString(c.summary().n()), num(c.summary().mean()), num(c.summary().sd()),
                    num(c.summary().ciLow()), num(c.summary().ciHigh()),
                    c.paper() == null ? "" : num(c.paper()),
                    c.paper() == null ? "" : num(c.summary().mean() - c.paper()),
                    c.gain() == null ? "" : Integer.toString(c.gain().diff().n()),
                    c.gain() == null ? "" : num(c.gain().diff().mean()),
                    c.gain() == null ? "" : num(c.gain().diff().ciLow()),
                    c.gain() == null ? "" : num(c.gain().diff().ciHigh()),
                    c.gain() == null ? "" : num(c.gain().p()))).append('\n');
        }
        return b.toString();
    }

    /** The Markdown text in the paper's layout plus a gains table. */
    public String markdown(TableSpec t, List<CellResult> cells) {
        StringBuilder b = new StringBuilder();
        b.append("## ").append(t.id()).append(": ").append(t.title()).append("\n\n");
        b.append("Metric: ").append(t.metricLabel()).append(t.pooledSamples()
                ? ", ours = mean ± 1.96·sd/√n over all episodes of all seeds (n shown);"
                : ", ours = mean ± 95% CI (Student t over seeds, n shown);")
                .append(" paper numbers (").append(t.source()).append(") are for reference only.\n\n");
        b.append(substitutions(t)).append('\n');
        b.append("| Method |");
        t.columns().forEach(c -> b.append(' ').append(c.label()).append(" |"));
        b.append("\n|---|");
        t.columns().forEach(c -> b.append("---|"));
        b.append('\n');
        int i = 0;
        for (TableSpec.Row row : t.rows()) {
            b.append("| ").append(row.label()).append(" |");
            for (int c = 0; c < t.columns().size(); c++) {
                CellResult r = cells.get(i++);
                b.append(' ').append(ours(r)).append(r.paper() == null ? "" : " (paper " + fixed(r.paper()) + ")")
                        .append(" |");
            }
            b.append('\n');
        }
        if (t.baselineRow() == null) {
            return b.toString();
        }
        b.append("\nPaired gain over `").append(t.baselineRow()).append(t.pooledSamples()
                ? "` on matching episodes (positive = better), " : "` on matching seeds (positive = better), ")
                .append("mean [95% CI], paired-t p; **bold** where the CI excludes 0:\n\n| Method |");
        t.columns().forEach(c -> b.append(' ').append(c.label()).append(" |"));
        b.append("\n|---|");
        t.columns().forEach(c -> b.append("---|"));
        b.append('\n');
        i = 0;
        for (TableSpec.Row row : t.rows()) {
            boolean baseline = row.id().equals(t.baselineRow()) || row.objective().equals(TableSpec.TEACHER_ROW);
            if (!baseline) {
                b.append("| ").append(row.label()).append(" |");
            }
            for (int c = 0; c < t.columns().size(); c++) {
                CellResult r = cells.get(i++);
                if (!baseline) {
                    b.append(' ').append(gain(r)).append(" |");
                }
            }
            if (!baseline) {
                b.append('\n');
            }
        }
        return b.toString();
    }

    private String substitutions(TableSpec t) {
        Map<String, String> subs = new TreeMap<>();
        for (TableSpec.Column c : t.columns()) {
            String ds = plan.preset().dataset(c.dataset());
            String m = plan.preset().model(c.model());
            if (!ds.equals(c.dataset())) {
                subs.put(c.dataset(), ds);
            }
            if (!m.equals(c.model())) {
                subs.put(c.model(), m);
            }
        }
        String recipe = "recipe used: " + plan.preset().recipe(t.id(), t.recipe()).describe()
                + (t.columns().stream().anyMatch(c -> c.recipe() != null) ? " (columns with their own recipe: "
                        + "that recipe with the preset's overrides)" : "");
        Map<String, String> params = new TreeMap<>(plan.preset().params(t.id()));
        params.keySet().removeIf(k -> t.rows().stream().noneMatch(r -> k.startsWith(r.objective() + ".")));
        if (!params.isEmpty()) {
            StringBuilder p = new StringBuilder("; objective parameters set by the preset or --param (over the"
                    + " table's): ");
            params.forEach((k, v) -> p.append('`').append(k).append('=').append(v).append("` "));
            recipe += p.toString().stripTrailing();
        }
        if (subs.isEmpty()) {
            return "Preset `" + plan.preset().name() + "`: the paper's data sets and models; " + recipe + "\n";
        }
        StringBuilder b = new StringBuilder("**Preset `" + plan.preset().name()
                + "` is a scaled-down analogue, not the paper's setting.** Stand-ins: ");
        subs.forEach((k, v) -> b.append('`').append(k).append("` → `").append(v).append("`; "));
        return b.append(recipe).append('\n').toString();
    }

    private static String ours(CellResult r) {
        if (r.summary().n() == 0) {
            return "–";
        }
        String half = Double.isNaN(r.summary().halfWidth()) ? "" : " ± " + fixed(r.summary().halfWidth());
        return fixed(r.summary().mean()) + half + " (n=" + r.summary().n() + ")";
    }

    private static String gain(CellResult r) {
        if (r.gain() == null) {
            return "–";
        }
        var d = r.gain().diff();
        String text = String.format(Locale.ROOT, "%+.2f", d.mean());
        if (!Double.isNaN(d.ciLow())) {
            text += String.format(Locale.ROOT, " [%.2f, %.2f] p=%.3g", d.ciLow(), d.ciHigh(), r.gain().p());
        }
        text += " (n=" + d.n() + ")";
        return d.excludesZero() ? "**" + text + "**" : text;
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
