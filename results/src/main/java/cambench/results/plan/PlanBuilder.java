package cambench.results.plan;

import cambench.api.ObjectiveProvider;
import cambench.api.Objectives;
import cambench.api.ParamSpec;
import cambench.api.Params;
import cambench.api.UserException;
import cambench.results.plan.Plan;
import cambench.results.plan.Preset;
import cambench.results.plan.TableSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the plan of a {@code reproduce} run: the preset's tables (optionally a subset), rows
 * added for extra objectives, parameter overrides and the seed count.
 */
public final class PlanBuilder {
    /** The protocol of tables whose rows are distillers. */
    static final String DISTILLATION = Plan.DISTILLATION_PROTOCOL;

    private final PlanResources resources;
    private final Objectives objectives;
    private final Function<String, List<ParamSpec>> protocolSettings;
    private final boolean includeOmitted;

    /**
     * Creates a builder over the shipped resources, an objective (and regularizer) registry and
     * the settings each protocol declares.
     *
     * @param protocolSettings protocol name to its settings with defaults; throws a
     *     {@link UserException} for an unknown protocol
     */
    public PlanBuilder(PlanResources resources, Objectives objectives,
            Function<String, List<ParamSpec>> protocolSettings) {
        this(resources, objectives, protocolSettings, false);
    }

    private PlanBuilder(PlanResources resources, Objectives objectives,
            Function<String, List<ParamSpec>> protocolSettings, boolean includeOmitted) {
        this.resources = resources;
        this.objectives = objectives;
        this.protocolSettings = protocolSettings;
        this.includeOmitted = includeOmitted;
    }

    /**
     * This builder, planning also the cells the preset leaves out ({@link Preset#omit}), or not.
     */
    public PlanBuilder includeOmitted(boolean include) {
        return new PlanBuilder(resources, objectives, protocolSettings, include);
    }

    /**
     * Builds the plan.
     *
     * @param presetName preset name
     * @param tableNumbers table numbers or ids to keep (empty: all of the preset's)
     * @param seeds seed count (null: the preset's)
     * @param extraObjectives objectives added as rows to every table (names, without '+')
     * @param paramOverrides {@code objective.param -> value}
     */
    public Plan build(String presetName, List<String> tableNumbers, Integer seeds, List<String> extraObjectives,
            Map<String, String> paramOverrides) {
        return build(presetName, tableNumbers, seeds, extraObjectives, paramOverrides, List.of(), Map.of());
    }

    /**
     * Builds the plan, adding rows for extra regularizers: every table with regularizer rows gets,
     * per extra regularizer R, a row {@code O+R} for each objective O that has a row of its own
     * without regularizers (Table 2: {@code ce+R} and {@code cam+R}).
     *
     * @param extraRegularizers regularizer names (e.g. a plugin's)
     * @param settingOverrides protocol settings ({@code --setting}) for every cell whose protocol
     *     declares them; each must be declared by some protocol of the plan
     */
    public Plan build(String presetName, List<String> tableNumbers, Integer seeds, List<String> extraObjectives,
            Map<String, String> paramOverrides, List<String> extraRegularizers, Map<String, String> settingOverrides) {
        extraRegularizers.forEach(n -> objectives.regularizers().provider(n));
        Preset preset = resources.preset(presetName);
        if (includeOmitted) {
            preset = preset.withoutOmissions();
        }
        if (seeds != null && seeds < 1) {
            throw new UserException("--seeds must be >= 1, got " + seeds);
        }
        Map<String, String> params = new LinkedHashMap<>(preset.params());
        paramOverrides.forEach((k, v) -> {
            if (!k.contains(".")) {
                throw new UserException("--param " + k + "=" + v + ": expected objective.param=value, e.g. cam.alpha=2");
            }
            String owner = k.substring(0, k.indexOf('.'));
            if (!objectives.regularizers().all().containsKey(owner)) {
                objectives.provider(owner);
            }
            params.put(k, v);
        });
        List<String> ids = preset.tables();
        if (!tableNumbers.isEmpty()) {
            ids = new ArrayList<>();
            for (String t : tableNumbers) {
                String id = t.startsWith("table") ? t : "table" + t;
                if (!preset.tables().contains(id)) {
                    throw new UserException("--tables " + t + ": preset '" + presetName + "' has "
                            + String.join(", ", preset.tables()));
                }
                ids.add(id);
            }
        }
        List<TableSpec> tables = new ArrayList<>();
        for (String id : ids) {
            tables.add(withRegularizerRows(withRows(resources.table(id), extraObjectives), extraRegularizers));
        }
        checkOmissions(presetName, preset, tables);
        Map<String, Map<String, String>> tableParams = new LinkedHashMap<>();
        preset.tableParams().forEach((table, own) -> {   // --param beats the preset's per-table values too
            Map<String, String> merged = new LinkedHashMap<>(own);
            merged.putAll(paramOverrides);
            tableParams.put(table, merged);
        });
        Preset effective = preset.with(seeds == null ? preset.seeds() : seeds, ids, params, tableParams);
        // the one place where a cell's parameters, settings and regularizers get their defaults; runs
        // take them as resolved
        Set<String> declared = new HashSet<>();
        Plan plan = Plan.of(effective, tables, new Plan.Resolvers(
                (objective, overrides) -> objectives.resolve(objective, overrides).asMap(),
                (protocol, overrides, source) -> settings(protocol, overrides, source, settingOverrides, declared),
                (names, overrides) -> objectives.regularizers().resolve(names, overrides), resources::table));
        for (String key : settingOverrides.keySet()) {
            if (!declared.contains(key)) {
                throw new UserException("--setting " + key + ": no protocol of this plan takes it; they take: "
                        + String.join(", ", new TreeSet<>(declared)));
            }
        }
        return plan;
    }

    /**
     * A cell's settings: the protocol's defaults, the table's and preset's ({@code overrides}),
     * then the command line's keys that this protocol declares.
     */
    private Map<String, String> settings(String protocol, Map<String, String> overrides, String source,
            Map<String, String> commandLine, Set<String> declared) {
        List<ParamSpec> specs = protocolSettings.apply(protocol);
        Set<String> names = specs.stream().map(ParamSpec::name).collect(Collectors.toSet());
        declared.addAll(names);
        for (String key : overrides.keySet()) {
            if (!names.contains(key)) {
                throw new UserException(source + ": setting '" + key + "' is not one protocol " + protocol
                        + " takes; it takes: " + (names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names))));
            }
        }
        Map<String, String> merged = new TreeMap<>(overrides);
        commandLine.forEach((k, v) -> {
            if (names.contains(k)) {
                merged.put(k, v);
            }
        });
        return Params.resolve(protocol, specs, merged).asMap();
    }

    /** Each {@code omit} entry of the preset names a row and a column of its table. */
    private void checkOmissions(String presetName, Preset preset, List<TableSpec> planned) {
        preset.omit().forEach((tableId, entries) -> {
            TableSpec t = planned.stream().filter(p -> p.id().equals(tableId)).findFirst()
                    .orElseGet(() -> resources.table(tableId));
            for (String entry : entries) {
                int at = entry.indexOf('@');
                String row = at < 0 ? entry : entry.substring(0, at);
                String column = at < 0 ? "" : entry.substring(at + 1);
                boolean known = t.rows().stream().anyMatch(r -> r.id().equals(row))
                        && t.columns().stream().anyMatch(c -> c.id().equals(column));
                if (!known) {
                    throw new UserException("preset " + presetName + ": field omit." + tableId + " entry '" + entry
                            + "' is not ROW@COLUMN of that table (rows: " + String.join(", ",
                            t.rows().stream().map(TableSpec.Row::id).toList()) + "; columns: " + String.join(", ",
                            t.columns().stream().map(TableSpec.Column::id).toList()) + ")");
                }
            }
        });
    }

    /** Adds the rows of extra regularizers to a table that has regularizer rows (see {@link #build}). */
    private static TableSpec withRegularizerRows(TableSpec t, List<String> extra) {
        if (extra.isEmpty() || t.rows().stream().allMatch(r -> r.regularizers().isEmpty())) {
            return t;
        }
        List<TableSpec.Row> rows = new ArrayList<>(t.rows());
        List<String> plain = t.rows().stream().filter(r -> r.regularizers().isEmpty() && r.protocol() == null)
                .map(TableSpec.Row::objective).distinct().toList();
        for (String reg : extra) {
            for (String objective : plain) {
                String id = objective + "+" + reg;
                if (rows.stream().noneMatch(r -> r.id().equals(id))) {
                    rows.add(new TableSpec.Row(id, objective + " + " + reg + " (added)", objective, Map.of(), null,
                            null, List.of(reg), Map.of(), null));
                }
            }
        }
        return t.withRows(rows);
    }

    /**
     * Adds a row per extra objective: losses to the tables that train a network on their own,
     * distillers to the distillation tables (a table's protocol says which it is).
     */
    private TableSpec withRows(TableSpec t, List<String> extra) {
        boolean distillationTable = t.protocol().equals(DISTILLATION);
        List<TableSpec.Row> rows = new ArrayList<>(t.rows());
        for (String name : extra) {
            boolean distiller = objectives.provider(name).kind() == ObjectiveProvider.Kind.DISTILLER;
            if (distiller == distillationTable && rows.stream().noneMatch(r -> r.id().equals(name))) {
                rows.add(new TableSpec.Row(name, name + " (added)", name, Map.of(), null));
            }
        }
        if (rows.size() == t.rows().size()) {
            return t;
        }
        return t.withRows(rows);
    }
}
