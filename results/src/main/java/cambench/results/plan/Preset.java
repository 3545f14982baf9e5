package cambench.results.plan;

import cambench.results.record.Recipe;
import cambench.api.UserException;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named scale of reproduction (smoke, quick, cpu, paper): which tables, how many seeds, and
 * what replaces the paper's data sets, models and recipe. Loaded from
 * {@code cambench/presets/NAME.json}; the substitutions are printed in every table header.
 *
 * @param name preset name
 * @param description one line
 * @param seeds number of seeds (1..seeds)
 * @param tables table ids this preset reproduces
 * @param datasets paper data set to the data set actually used (absent: used as is)
 * @param models paper model to the model actually used (absent: as is)
 * @param recipe recipe fields that replace the table's (epochs, batch_size, ...)
 * @param params objective parameter overrides, {@code objective.param -> value}
 * @param tableRecipes per-table recipe fields applied after {@code recipe} (e.g. few-shot's Adam
 *     learning rate), by table id
 * @param tableParams per-table objective parameters applied after {@code params}, by table id (e.g.
 *     a CAT-KD beta that the paper's architectures take but a scaled-down stand-in does not)
 * @param tableSettings per-table protocol settings applied after the table's own {@code settings},
 *     by table id (e.g. fewer fine-tuning epochs at CPU scale)
 * @param omit cells of a table this preset leaves out, by table id: {@code ROW@COLUMN} entries
 *     (e.g. rows the paper prints no number for in a column, at a cost worth skipping); the report
 *     shows them as not run, and {@code --include-omitted} plans them anyway
 */
@JsonIgnoreProperties({"table_params_note", "omit_note"}) // free text for readers of the file; not used
public record Preset(String name, String description, int seeds, List<String> tables,
        Map<String, String> datasets, Map<String, String> models,
        @JsonProperty("recipe") Map<String, Object> recipe, Map<String, String> params,
        @JsonProperty("table_recipes") Map<String, Map<String, Object>> tableRecipes,
        @JsonProperty("table_params") Map<String, Map<String, String>> tableParams,
        @JsonProperty("table_settings") Map<String, Map<String, String>> tableSettings,
        Map<String, List<String>> omit) {

    /** A preset without per-table recipes or parameters. */
    public Preset(String name, String description, int seeds, List<String> tables, Map<String, String> datasets,
            Map<String, String> models, Map<String, Object> recipe, Map<String, String> params) {
        this(name, description, seeds, tables, datasets, models, recipe, params, Map.of(), Map.of(), Map.of(),
                Map.of());
    }

    /** The same preset with other seeds, tables and objective parameters (a plan's effective preset). */
    public Preset with(int newSeeds, List<String> newTables, Map<String, String> newParams,
            Map<String, Map<String, String>> newTableParams) {
        return new Preset(name, description, newSeeds, newTables, datasets, models, recipe, newParams, tableRecipes,
                newTableParams, tableSettings, omit);
    }

    /** The same preset leaving nothing out ({@code --include-omitted}). */
    public Preset withoutOmissions() {
        return new Preset(name, description, seeds, tables, datasets, models, recipe, params, tableRecipes,
                tableParams, tableSettings, Map.of());
    }

    /** Whether this preset leaves out the cells of (table, row, column). */
    public boolean omits(String tableId, String rowId, String columnId) {
        return omit.getOrDefault(tableId, List.of()).contains(rowId + "@" + columnId);
    }

    /** Defaults for optional fields. */
    public Preset {
        datasets = datasets == null ? Map.of() : Map.copyOf(datasets);
        models = models == null ? Map.of() : Map.copyOf(models);
        recipe = recipe == null ? Map.of() : Map.copyOf(recipe);
        params = params == null ? Map.of() : Map.copyOf(params);
        tableRecipes = tableRecipes == null ? Map.of() : Map.copyOf(tableRecipes);
        tableParams = tableParams == null ? Map.of() : Map.copyOf(tableParams);
        tableSettings = tableSettings == null ? Map.of() : Map.copyOf(tableSettings);
        omit = omit == null ? Map.of() : Map.copyOf(omit);
        tables = tables == null ? List.of() : List.copyOf(tables);
        checkRecipeKeys("recipe", recipe);
        for (Map.Entry<String, Map<String, Object>> e : tableRecipes.entrySet()) {
            checkRecipeKeys("table_recipes." + e.getKey(), e.getValue());
        }
        if (seeds < 1) {
            throw new UserException("preset " + name + ": seeds must be >= 1, got " + seeds);
        }
    }

    /** The recipe fields a preset may set (as in table specs). */
    public static final Set<String> RECIPE_KEYS = Set.of("epochs", "batch_size", "lr", "momentum", "nesterov",
            "weight_decay", "schedule", "augment", "optimizer");

    private void checkRecipeKeys(String field, Map<String, Object> fields) {
        for (String key : fields.keySet()) {
            if (!RECIPE_KEYS.contains(key)) {
                throw new UserException("preset " + name + ": " + field + " has unknown recipe key '" + key
                        + "'; known: " + String.join(", ", new java.util.TreeSet<>(RECIPE_KEYS)));
            }
        }
    }

    /** The data set that stands in for {@code paperDataset}. */
    public String dataset(String paperDataset) {
        return datasets.getOrDefault(paperDataset, paperDataset);
    }

    /**
     * The data set that stands in for {@code paperDataset} in table {@code tableId}: the key
     * {@code TABLE/DATASET} (e.g. {@code table5/cub}: CUB as a classification target, while
     * {@code cub} stands for the few-shot CUB of table 6), else {@link #dataset(String)}.
     */
    public String dataset(String tableId, String paperDataset) {
        String own = datasets.get(tableId + "/" + paperDataset);
        return own != null ? own : dataset(paperDataset);
    }

    /** The model that stands in for {@code paperModel} in table {@code tableId}: key {@code TABLE/MODEL}, else {@link #model(String)}. */
    public String model(String tableId, String paperModel) {
        String own = models.get(tableId + "/" + paperModel);
        return own != null ? own : model(paperModel);
    }

    /** The model that stands in for {@code paperModel}. */
    public String model(String paperModel) {
        return models.getOrDefault(paperModel, paperModel);
    }

    /** The objective parameters for table {@code tableId}: {@code params}, then the table's own over them. */
    public Map<String, String> params(String tableId) {
        Map<String, String> own = tableParams.getOrDefault(tableId, Map.of());
        if (own.isEmpty()) {
            return params;
        }
        Map<String, String> out = new LinkedHashMap<>(params);
        out.putAll(own);
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The protocol settings this preset sets for table {@code tableId} (empty: none). */
    public Map<String, String> settings(String tableId) {
        return tableSettings.getOrDefault(tableId, Map.of());
    }

    /** {@code base} with this preset's recipe fields, then those for table {@code tableId}, applied. */
    public Recipe recipe(String tableId, Recipe base) {
        return apply(apply(base, recipe), tableRecipes.getOrDefault(tableId, Map.of()));
    }

    /** {@code base} with this preset's recipe fields applied. */
    public Recipe recipe(Recipe base) {
        return apply(base, recipe);
    }

    private static Recipe apply(Recipe base, Map<String, Object> r) {
        return new Recipe(
                num(r, "epochs", base.epochs()).intValue(),
                num(r, "batch_size", base.batchSize()).intValue(),
                num(r, "lr", base.lr()).doubleValue(),
                num(r, "momentum", base.momentum()).doubleValue(),
                r.containsKey("nesterov") ? Boolean.parseBoolean(String.valueOf(r.get("nesterov"))) : base.nesterov(),
                num(r, "weight_decay", base.weightDecay()).doubleValue(),
                r.containsKey("schedule") ? String.valueOf(r.get("schedule")) : base.schedule(),
                r.containsKey("augment") ? String.valueOf(r.get("augment")) : base.augment(),
                r.containsKey("optimizer") ? String.valueOf(r.get("optimizer")) : base.optimizer());
    }

    private static Number num(Map<String, Object> r, String key, Number fallback) {
        Object v = r.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n;
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new UserException("preset recipe." + key + ": expected a number, got '" + v + "'");
        }
    }
}
