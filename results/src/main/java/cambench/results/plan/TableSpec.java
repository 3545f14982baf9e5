package cambench.results.plan;

import cambench.results.record.Recipe;
import cambench.api.UserException;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A paper table as data: its rows (objectives), columns (data set x model), metric, recipe and
 * the paper's reference numbers. Loaded from {@code cambench/tables/*.json} resources.
 *
 * @param id e.g. {@code table3}
 * @param title caption
 * @param source where the reference numbers come from
 * @param protocol protocol that produces the cells
 * @param metric metric name in run records, e.g. {@code top1_error}
 * @param metricLabel human label, e.g. {@code top-1 error (%)}
 * @param lowerIsBetter whether smaller is better (errors); required in the JSON
 * @param baselineRow id of the row every gain is measured against (required)
 * @param recipe the paper's recipe for every column (columns may override)
 * @param recipeNote what the recipe follows and what was assumed
 * @param columns the columns
 * @param rows the rows
 * @param curves id of a column whose per-epoch test curves (every row, mean and CI band over
 *     seeds) are written as {@code ID_curves.csv/png}, or null
 * @param teacherRecipe the recipe teachers of this table train with (the original code's teacher
 *     recipe), or null for the table's {@code recipe}; one teacher cell per (data set, model,
 *     teacher recipe, teacher seed) is shared by every table
 * @param teacherSeed the seed of the teacher cells (default 1): every student sees one teacher
 * @param aggregate {@code seeds} (one number per run; Student t over seeds) or {@code samples}
 *     (records carry per-unit samples, e.g. few-shot episodes: each seed's value is the mean of
 *     its samples, the interval is Student t over seeds and the gain a paired t over seeds; the
 *     pooled-sample interval mean +- 1.96 sd / sqrt(n) over all samples of all seeds, the few-shot
 *     field's convention, is reported beside it); absent means {@code seeds}
 * @param pretrain for a fine-tune table, where each cell's pretrained backbone comes from, or null
 * @param settings protocol settings for every cell of this table (e.g. the few-shot fine-tuning
 *     recipe), on top of the protocol's defaults; each key must be one the protocol declares
 */
public record TableSpec(String id, String title, String source, String protocol, String metric,
        @JsonProperty("metric_label") String metricLabel,
        @JsonProperty("lower_is_better") Boolean lowerIsBetter,
        @JsonProperty("baseline_row") String baselineRow,
        Recipe recipe,
        @JsonProperty("recipe_note") String recipeNote,
        List<Column> columns, List<Row> rows, String curves,
        @JsonProperty("teacher_recipe") Recipe teacherRecipe,
        @JsonProperty("teacher_seed") Long teacherSeed, String aggregate, Pretrain pretrain,
        Map<String, String> settings) {

    /** The spec with seed aggregation and no pretraining. */
    public TableSpec(String id, String title, String source, String protocol, String metric, String metricLabel,
            Boolean lowerIsBetter, String baselineRow, Recipe recipe, String recipeNote, List<Column> columns,
            List<Row> rows, String curves, Recipe teacherRecipe, Long teacherSeed, String aggregate) {
        this(id, title, source, protocol, metric, metricLabel, lowerIsBetter, baselineRow, recipe, recipeNote,
                columns, rows, curves, teacherRecipe, teacherSeed, aggregate, null, null);
    }

    /**
     * Where the cells of a fine-tune (transfer) table get their pretrained backbone: the cell that
     * table {@code table} plans for the same row id, column {@code column} and seed. Its key is that
     * table's own cell's, so one training serves both tables.
     *
     * @param table id of the table whose cell pretrains, e.g. {@code table1}
     * @param column the column of that table, e.g. {@code in_resnet50}
     */
    public record Pretrain(String table, String column) {
    }

    /** The spec with seed aggregation. */
    public TableSpec(String id, String title, String source, String protocol, String metric, String metricLabel,
            Boolean lowerIsBetter, String baselineRow, Recipe recipe, String recipeNote, List<Column> columns,
            List<Row> rows) {
        this(id, title, source, protocol, metric, metricLabel, lowerIsBetter, baselineRow, recipe, recipeNote,
                columns, rows, null, null, null, "seeds", null, null);
    }

    /** The same table with other rows (e.g. objectives added on the command line). */
    public TableSpec withRows(List<Row> newRows) {
        return new TableSpec(id, title, source, protocol, metric, metricLabel, lowerIsBetter, baselineRow, recipe,
                recipeNote, columns, newRows, curves, teacherRecipe, teacherSeed, aggregate, pretrain, settings);
    }

    /** The recipe teachers of this table train with: {@code teacher_recipe}, else the table's. */
    public Recipe teacherRecipeOrDefault() {
        return teacherRecipe != null ? teacherRecipe : recipe;
    }

    /** Defaults the aggregation. */
    public TableSpec {
        aggregate = aggregate == null ? "seeds" : aggregate;
        teacherSeed = teacherSeed == null ? 1L : teacherSeed;
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        if (!aggregate.equals("seeds") && !aggregate.equals("samples")) {
            throw new IllegalArgumentException(id + ": aggregate must be seeds or samples, got " + aggregate);
        }
    }

    /**
     * Checks what the JSON schema cannot: unique row and column ids, a baseline row that exists,
     * one paper value per column (or none), a curves column that exists.
     *
     * @throws UserException naming the field and the value
     */
    public void validate() {
        require(protocol != null && !protocol.isBlank(), "protocol", "is missing");
        require(metric != null && !metric.isBlank(), "metric", "is missing");
        require(columns != null && !columns.isEmpty(), "columns", "is empty");
        require(rows != null && !rows.isEmpty(), "rows", "is empty");
        Set<String> columnIds = new LinkedHashSet<>();
        for (Column c : columns) {
            require(c.id() != null && columnIds.add(c.id()), "columns", "id '" + c.id() + "' is missing or repeated");
            require(c.dataset() != null && c.model() != null, "columns." + c.id(), "needs dataset and model");
        }
        Set<String> rowIds = new LinkedHashSet<>();
        for (Row r : rows) {
            require(r.id() != null && rowIds.add(r.id()), "rows", "id '" + r.id() + "' is missing or repeated");
            require(r.objective() != null, "rows." + r.id() + ".objective", "is missing");
            require(!r.allowDivergence() || (r.divergenceNote() != null && !r.divergenceNote().isBlank()),
                    "rows." + r.id() + ".divergence_note", "is required with allow_divergence (say why a blow-up is a"
                            + " possible outcome of this row)");
            require(r.paper().isEmpty() || r.paper().size() == columns.size(), "rows." + r.id() + ".paper",
                    "has " + r.paper().size() + " values for " + columns.size() + " columns (give one per column,"
                            + " null where the paper has none)");
        }
        require(lowerIsBetter != null, "lower_is_better", "is required (true for errors, false for accuracies)");
        require(baselineRow != null, "baseline_row", "is required (the row every gain is measured against)");
        require(rowIds.contains(baselineRow), "baseline_row",
                "'" + baselineRow + "' is not a row id; rows: " + String.join(", ", rowIds));
        require(curves == null || columnIds.contains(curves), "curves",
                "'" + curves + "' is not a column id; columns: " + String.join(", ", columnIds));
    }

    private void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new UserException("table " + id + ": field " + field + " " + problem);
        }
    }

    /**
     * Whether records carry per-unit samples (episodes) that each seed averages, with the pooled
     * interval over all samples reported beside the interval over seeds.
     */
    public boolean pooledSamples() {
        return aggregate.equals("samples");
    }

    /**
     * One column.
     *
     * @param id stable id
     * @param label header text, e.g. {@code CIFAR-100 ResNet-110}
     * @param dataset the paper's data set
     * @param model the paper's model
     * @param recipe a column-specific recipe, or null for the table's
     * @param metric a column-specific metric (e.g. {@code acc_1shot}), or null for the table's
     * @param teacher the teacher model of a distillation column (the student is {@code model}), or null
     * @param params objective parameters for this column, {@code objective.param -> value} (e.g. a
     *     per-pair {@code catkd.beta}); they override the row's
     * @param settings protocol settings for this column's cells (e.g. a Wide ResNet's dropout), over
     *     the table's {@code settings}; the preset's per-table settings override both
     */
    public record Column(String id, String label, String dataset, String model, Recipe recipe, String metric,
            String teacher, Map<String, String> params, Map<String, String> settings) {
        /** A column that uses the table's metric. */
        public Column(String id, String label, String dataset, String model, Recipe recipe) {
            this(id, label, dataset, model, recipe, null, null, null, null);
        }

        /** A column without settings of its own. */
        public Column(String id, String label, String dataset, String model, Recipe recipe, String metric,
                String teacher, Map<String, String> params) {
            this(id, label, dataset, model, recipe, metric, teacher, params, null);
        }

        /** Defaults for optional fields. */
        public Column {
            params = params == null ? Map.of() : Map.copyOf(params);
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    /** The row objective that stands for "the teacher itself" (its own classification cell, seed 1). */
    public static final String TEACHER_ROW = "@teacher";

    /** The metric of column {@code c}. */
    public String metricOf(Column c) {
        return c.metric() != null ? c.metric() : metric;
    }

    /**
     * One row.
     *
     * @param id stable id (usually the objective name)
     * @param label row text, e.g. {@code CAM-loss (ours)}
     * @param objective objective name
     * @param params objective parameters for this row (on top of the defaults)
     * @param paper the paper's value per column (null where the paper has none)
     * @param protocol a protocol for this row instead of the table's, or null (e.g. the student
     *     baseline of a distillation table is plain classification: no teacher, shared by columns)
     * @param regularizers regularizers the row trains with, in order (docs/regularizers.md); empty for none
     * @param regularizerParams regularizer parameters, {@code name.param -> value}, on top of the defaults
     * @param quoted where the row's paper numbers come from when the paper quotes them from another
     *     work (e.g. {@code CutMix [51]}), or null for the paper's own runs; reports mark such rows
     * @param allowDivergence whether a blow-up of this row's training is a possible outcome that is
     *     recorded (health flagged, marked in the report) instead of failing the cell (docs/trust.md);
     *     absent means false
     * @param divergenceNote why divergence is a possible outcome here; required with {@code allow_divergence}
     */
    public record Row(String id, String label, String objective, Map<String, String> params, List<Double> paper,
            String protocol, List<String> regularizers,
            @JsonProperty("regularizer_params") Map<String, String> regularizerParams, String quoted,
            @JsonProperty("allow_divergence") Boolean allowDivergence,
            @JsonProperty("divergence_note") String divergenceNote) {
        /** A row that does not allow divergence. */
        public Row(String id, String label, String objective, Map<String, String> params, List<Double> paper,
                String protocol, List<String> regularizers, Map<String, String> regularizerParams, String quoted) {
            this(id, label, objective, params, paper, protocol, regularizers, regularizerParams, quoted, false, null);
        }

        /** A row of the table's protocol. */
        public Row(String id, String label, String objective, Map<String, String> params, List<Double> paper) {
            this(id, label, objective, params, paper, null);
        }

        /** A row without regularizers. */
        public Row(String id, String label, String objective, Map<String, String> params, List<Double> paper,
                String protocol) {
            this(id, label, objective, params, paper, protocol, List.of(), Map.of(), null);
        }

        /** The label with a marker when the paper's numbers are quoted from another work. */
        public String markedLabel() {
            return quoted == null ? label : label + " (quoted from " + quoted + ")";
        }

        /** Defaults for optional fields. */
        public Row {
            allowDivergence = allowDivergence != null && allowDivergence;
            regularizers = regularizers == null ? List.of() : List.copyOf(regularizers);
            regularizerParams = regularizerParams == null ? Map.of() : Map.copyOf(regularizerParams);
            params = params == null ? Map.of() : Map.copyOf(params);
            paper = paper == null ? java.util.Collections.emptyList() : java.util.Collections.unmodifiableList(
                    new java.util.ArrayList<>(paper));
        }

        /** The paper's value for column {@code i}, or null. */
        public Double paperValue(int i) {
            return i < paper.size() ? paper.get(i) : null;
        }
    }
}
