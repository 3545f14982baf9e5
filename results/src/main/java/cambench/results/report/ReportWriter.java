package cambench.results.report;

import cambench.results.plan.Plan;
import cambench.results.plan.TableSpec;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import tech.tablesaw.api.Table;
import tech.tablesaw.table.TableSlice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes {@code tableN.csv}, {@code tableN.md} and {@code tableN.png} for every table of a plan
 * that has records (and {@code tableN_curves.csv/png} where the table asks for curves): ours (mean
 * +- 95% CI over seeds, n) beside the paper's number, and the paired gain over the baseline row;
 * few-shot tables add the pooled-episode interval of the field's convention; cells with runs that
 * blew up (allowed), ended at chance or failed are marked ({@link HealthMarks}).
 * Numbers come only from run records, aggregated as tablesaw tables by {@link TableAggregator};
 * tablesaw's CSV writer writes the CSVs.
 */
public final class ReportWriter {
    /** The CSV columns, in order. */
    static final String[] CSV_COLUMNS = {"table", "row", "column", "dataset_used", "model_used", "metric", "n",
        "mean", "sd", "ci_low", "ci_high", "paper", "diff_from_paper", "gain_n", "gain_mean", "gain_ci_low",
        "gain_ci_high", "gain_p"};
    /** The CSV columns a table with per-unit samples (episodes) adds after {@link #CSV_COLUMNS}. */
    static final String[] POOLED_CSV_COLUMNS = {"n_episodes", "ci95_pooled_episodes"};
    /** The CSV columns a table without per-unit samples adds after {@link #CSV_COLUMNS}: the best-epoch value. */
    static final String[] BEST_CSV_COLUMNS = {"best_n", "best_mean", "best_ci_low", "best_ci_high"};

    private final Plan plan;
    private final TableAggregator aggregator;
    private final Map<String, RunRecord> recordsByKey = new TreeMap<>();
    private Map<String, String> stale = Map.of();
    private final Map<String, String> failed;
    private final HealthMarks marks;

    /** Prepares a report of {@code records} for {@code plan}. */
    public ReportWriter(Plan plan, List<RunRecord> records) {
        this(plan, records, Map.of());
    }

    /**
     * Prepares a report of {@code records} for {@code plan}; a table some of whose cells have no
     * record gets a note counting them, naming the failed ones ({@code failed}: cell key to reason).
     */
    public ReportWriter(Plan plan, List<RunRecord> records, Map<String, String> failed) {
        this.plan = plan;
        this.failed = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(failed)); // same report every run
        this.aggregator = new TableAggregator(plan, records);
        records.forEach(r -> recordsByKey.put(r.key(), r));
        this.marks = new HealthMarks(plan, recordsByKey, this.failed);
    }

    /**
     * Marks records as produced by another code version: each table's Markdown notes how many of
     * its records are stale, with the first one's reason.
     *
     * @param reasons why each stale record is stale, by record key
     * @return this writer
     */
    public ReportWriter flagStale(Map<String, String> reasons) {
        this.stale = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(reasons));
        return this;
    }

    /**
     * Writes the files into {@code dir} (atomically, one by one).
     *
     * @return the files written
     */
    public List<Path> write(Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (TableSpec t : plan.tables()) {
            if (aggregator.hasRecords(t)) {
                Table cells = marks.withColumn(t, aggregator.aggregate(t));
                written.add(writeFile(dir.resolve(t.id() + ".csv"), csv(cells)));
                byte[] md = (markdown(t, cells) + marks.footnote(t) + missingNote(t)).getBytes(StandardCharsets.UTF_8);
                written.add(writeFile(dir.resolve(t.id() + ".md"), md));
                written.add(writeFile(dir.resolve(t.id() + ".png"), ChartWriter.png(t, cells, chartSubtitle(t))));
                if (t.curves() != null) {
                    written.addAll(writeCurves(dir, t));
                }
            }
        }
        return written;
    }

    /** Empty when every cell of the table has a record, else a paragraph counting and naming the missing ones. */
    String missingNote(TableSpec t) {
        java.util.Set<String> planned = new java.util.LinkedHashSet<>();
        java.util.Map<String, String> names = new java.util.HashMap<>();
        plan.cells().stream().filter(p -> p.table().equals(t.id())).forEach(p -> {
            planned.add(p.cell().key());
            names.put(p.cell().key(), p.cell().fileName());
        });
        List<String> missing = planned.stream().filter(k -> !recordsByKey.containsKey(k)).toList();
        List<String> omitted = plan.preset().omit().getOrDefault(t.id(), List.of());
        String omittedNote = omitted.isEmpty() ? "" : "\nNot run in preset `" + plan.preset().name() + "` (its omit"
                + " list; `--include-omitted` plans them): " + String.join(", ", omitted) + ".\n";
        if (missing.isEmpty()) {
            return omittedNote;
        }
        List<String> failedHere = missing.stream().filter(failed::containsKey)
                .map(k -> "`" + names.get(k) + "` (" + failed.get(k) + ")").toList();
        return "\n**Incomplete:** " + missing.size() + " of " + planned.size() + " cells have no record yet"
                + (failedHere.isEmpty() ? "" : ", " + failedHere.size() + " of them failed: "
                        + String.join("; ", failedHere))
                + ". `–` marks a result without records; n counts the seeds present.\n" + omittedNote;
    }

    private List<Path> writeCurves(Path dir, TableSpec t) throws IOException {
        CurveWriter curves = new CurveWriter(plan, recordsByKey);
        Table series = curves.curves(t, t.curves());
        return List.of(writeFile(dir.resolve(t.id() + "_curves.csv"), curves.csv(series)),
                writeFile(dir.resolve(t.id() + "_curves.png"), curves.png(t, t.curves(), series)));
    }

    private static Path writeFile(Path file, byte[] bytes) throws IOException {
        RunStore.writeAtomically(file, bytes);
        return file;
    }

    private String chartSubtitle(TableSpec t) {
        return "preset " + plan.preset().name()
                + (plan.preset().datasets().isEmpty() ? "" : " (scaled-down analogue, see " + t.id() + ".md)");
    }

    /**
     * The CSV: one line per (row, column) of {@link TableAggregator#aggregate}, numbers to six
     * significant digits; a table with per-unit samples adds {@link #POOLED_CSV_COLUMNS}, any other
     * the best-epoch {@link #BEST_CSV_COLUMNS}; the training-health marks come last.
     */
    public static byte[] csv(Table cells) {
        Csv.format(cells, Csv::significant6, "mean", "sd", "ci_low", "ci_high", "paper", "diff_from_paper",
                "gain_mean", "gain_ci_low", "gain_ci_high", "gain_p");
        List<String> columns = new ArrayList<>(List.of(CSV_COLUMNS));
        if (cells.containsColumn(POOLED_CSV_COLUMNS[0])) {
            Csv.format(cells, Csv::significant6, "ci95_pooled_episodes");
            columns.addAll(List.of(POOLED_CSV_COLUMNS));
        } else {
            Csv.format(cells, Csv::significant6, "best_mean", "best_ci_low", "best_ci_high");
            columns.addAll(List.of(BEST_CSV_COLUMNS));
        }
        if (cells.containsColumn(HealthMarks.COLUMN)) {
            columns.add(HealthMarks.COLUMN);   // last: the training-health marks (docs/trust.md)
        }
        return Csv.bytes(cells, columns.toArray(new String[0]));
    }

    /** The Markdown text in the paper's layout plus a gains table. */
    public String markdown(TableSpec t, Table cells) {
        String text = heading(t) + grid(t, cells, ReportWriter::oursWithPaper, row -> true);
        if (t.baselineRow() == null) {
            return text;
        }
        return text + "\nPaired gain over `" + t.baselineRow() + (t.pooledSamples()
                ? "` on matching seeds (a seed's mean episode accuracy; the same seed draws the same episodes;"
                        + " positive = better), "
                : "` on matching seeds (positive = better), ")
                + "mean [95% CI], paired-t p; **bold** where the CI excludes 0:\n\n"
                + grid(t, cells, ReportWriter::gain, row -> !row.id().equals(t.baselineRow())
                        && !row.objective().equals(TableSpec.TEACHER_ROW));
    }

    private String heading(TableSpec t) {
        return "## " + t.id() + ": " + t.title() + "\n\n"
                + "Metric: " + t.metricLabel() + (t.pooledSamples()
                        ? ", ours = mean ± 95% CI (Student t over seeds of each seed's mean episode accuracy,"
                                + " n = seeds shown); in brackets ± 1.96·sd/√n over all episodes of all seeds"
                                + " pooled, the few-shot field's convention (it takes the episodes as independent and"
                                + " ignores the variance between trainings);"
                        : ", ours = mean ± 95% CI (Student t over seeds, n shown) of the last epoch; `best` = the"
                                + " mean of each run's best epoch (lowest test top-1 error; selected on the test set,"
                                + " so optimistic; the convention of CutMix's and mdistiller's logs);")
                + " paper numbers (" + t.source() + ") are for reference only.\n\n"
                + substitutions(t) + "\n" + staleNote(t);
    }

    /** A warning line when some of the table's records come from another code version, else empty. */
    private String staleNote(TableSpec t) {
        List<String> keys = plan.cells().stream().filter(c -> c.table().equals(t.id())).map(c -> c.cell().key())
                .distinct().filter(k -> recordsByKey.containsKey(k) && stale.containsKey(k)).sorted().toList();
        if (keys.isEmpty()) {
            return "";
        }
        return "**Warning: " + keys.size() + " record(s) of this table come from another code version** (first: `"
                + keys.get(0) + "`, " + stale.get(keys.get(0)) + "); `cambench reproduce --rerun-stale` recomputes"
                + " them.\n\n";
    }

    /**
     * A Markdown table in the paper's layout: a line per spec row kept by {@code rows} (a slice of
     * {@code cells} split on the row), a column per spec column, each cell rendered by {@code text}.
     */
    private static String grid(TableSpec t, Table cells, Function<CellResult, String> text,
            Predicate<TableSpec.Row> rows) {
        StringBuilder b = new StringBuilder("| Method |");
        t.columns().forEach(c -> b.append(' ').append(c.label()).append(" |"));
        b.append("\n|---|");
        t.columns().forEach(c -> b.append("---|"));
        b.append('\n');
        for (TableSlice line : cells.splitOn("row_index")) {
            TableSpec.Row row = t.rows().get(line.iterator().next().getInt("row_index"));
            if (rows.test(row)) {
                b.append("| ").append(row.markedLabel()).append(" |");
                line.forEach(cell -> b.append(' ').append(text.apply(CellResult.of(cell))).append(" |"));
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** The preset line: the paper's setting, or the stand-ins of a scaled-down preset; then the recipe used. */
    private String substitutions(TableSpec t) {
        Map<String, String> subs = standIns(t);
        if (subs.isEmpty()) {
            return "Preset `" + plan.preset().name() + "`: the paper's data sets and models; " + recipe(t) + "\n";
        }
        StringBuilder b = new StringBuilder("**Preset `" + plan.preset().name()
                + "` is a scaled-down analogue, not the paper's setting.** Stand-ins: ");
        subs.forEach((k, v) -> b.append('`').append(k).append("` → `").append(v).append("`; "));
        return b.append(recipe(t)).append('\n').toString();
    }

    /** The paper's data sets and models that the preset replaces, with their replacements, sorted. */
    private Map<String, String> standIns(TableSpec t) {
        Map<String, String> subs = new TreeMap<>();
        for (TableSpec.Column c : t.columns()) {
            String ds = plan.preset().dataset(t.id(), c.dataset());
            String m = plan.preset().model(t.id(), c.model());
            if (!ds.equals(c.dataset())) {
                subs.put(c.dataset(), ds);
            }
            if (!m.equals(c.model())) {
                subs.put(c.model(), m);
            }
        }
        return subs;
    }

    /** The recipe used and the objective parameters the preset (or --param) sets for the table's rows. */
    private String recipe(TableSpec t) {
        String recipe = "recipe used: " + plan.preset().recipe(t.id(), t.recipe()).describe()
                + (t.columns().stream().anyMatch(c -> c.recipe() != null) ? " (columns with their own recipe: "
                        + "that recipe with the preset's overrides)" : "");
        recipe += settings(t);
        Map<String, String> params = new TreeMap<>(plan.preset().params(t.id()));
        params.keySet().removeIf(k -> t.rows().stream().noneMatch(r -> k.startsWith(r.objective() + ".")));
        if (params.isEmpty()) {
            return recipe;
        }
        StringBuilder p = new StringBuilder("; objective parameters set by the preset or --param (over the"
                + " table's): ");
        params.forEach((k, v) -> p.append('`').append(k).append('=').append(v).append("` "));
        return recipe + p.toString().stripTrailing();
    }

    /** The protocol settings the table's cells ran with (values joined by {@code |} where cells differ). */
    private String settings(TableSpec t) {
        Map<String, java.util.Set<String>> values = new TreeMap<>();
        plan.cells().stream().filter(p -> p.table().equals(t.id()))
                .forEach(p -> p.cell().settings().forEach((k, v) ->
                        values.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(v)));
        if (values.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("; protocol settings:");
        values.forEach((k, v) -> b.append(" `").append(k).append('=').append(String.join("|", v)).append('`'));
        return b.toString();
    }

    private static String oursWithPaper(CellResult r) {
        return ours(r) + (r.paper() == null ? "" : " (paper " + fixed(r.paper()) + ")");
    }

    private static String ours(CellResult r) {
        if (r.summary().n() == 0) {
            return "–";
        }
        String half = Double.isNaN(r.summary().halfWidth()) ? "" : " ± " + fixed(r.summary().halfWidth());
        return fixed(r.summary().mean()) + half + " (n=" + r.summary().n() + ")" + pooledEpisodes(r) + bestEpoch(r)
                + (r.health().isEmpty() ? "" : HealthMarks.MARKER);
    }

    /** The best-epoch mean, labelled, for a table whose records have per-epoch test errors. */
    private static String bestEpoch(CellResult r) {
        if (r.bestEpoch() == null || r.bestEpoch().n() == 0) {
            return "";
        }
        return " · best " + fixed(r.bestEpoch().mean());
    }

    /** The field's pooled-episode interval in brackets, for a table with per-unit samples. */
    private static String pooledEpisodes(CellResult r) {
        if (r.episodes() == null || Double.isNaN(r.ci95PooledEpisodes())) {
            return "";
        }
        return " [± " + fixed(r.ci95PooledEpisodes()) + " over " + r.episodes() + " pooled episodes]";
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
}
