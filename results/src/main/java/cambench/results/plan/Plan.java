package cambench.results.plan;

import cambench.results.plan.Cell;
import cambench.results.record.Recipe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The grid of cells a preset asks for, with the table specs it fills. Written to
 * {@code OUT/plan.json} by {@code reproduce}; {@code report} renders from it and the run store.
 *
 * @param preset the preset used
 * @param tables the table specs, rows added by {@code --losses} included
 * @param cells every (table, row, column, seed) cell
 */
public record Plan(Preset preset, List<TableSpec> tables, List<PlannedCell> cells) {
    /** The protocol of teacher cells: classification that also keeps the final weights. */
    public static final String TEACHER_PROTOCOL = "teacher";
    /** The protocol of student cells: a network trained beside a fixed teacher cell. */
    public static final String DISTILLATION_PROTOCOL = "distillation";

    /**
     * Expands tables into cells.
     *
     * @param preset substitutions and seeds
     * @param tables the tables to fill
     * @param resolveParams (objective, overrides) to the full parameter map with defaults, so a
     *     cell key changes whenever an effective parameter does
     */
    public static Plan of(Preset preset, List<TableSpec> tables,
            BiFunction<String, Map<String, String>, Map<String, String>> resolveParams) {
        return of(preset, tables, new Resolvers(resolveParams, (protocol, overrides, source) -> overrides,
                (names, overrides) -> {
                    throw new IllegalArgumentException("rows with regularizers " + names
                            + " need a regularizer registry");
                }, id -> {
                    throw new IllegalArgumentException("table " + id + " is not available to this plan");
                }));
    }

    /**
     * Resolves a cell's protocol settings: the protocol's defaults, then {@code overrides}.
     */
    @FunctionalInterface
    public interface SettingsResolver {
        /**
         * @param protocol the cell's protocol
         * @param overrides settings a table or preset sets
         * @param source where the overrides come from (e.g. {@code table6}), for messages
         * @return every setting of the protocol, as text
         * @throws cambench.api.UserException for a key the protocol does not declare, or a bad value
         */
        Map<String, String> resolve(String protocol, Map<String, String> overrides, String source);
    }

    /**
     * What turns a table's text into resolved cells: the one place where defaults are filled in,
     * so a cell key changes whenever an effective value does.
     *
     * @param params (objective, overrides) to the full parameter map with defaults
     * @param settings a cell's protocol settings with defaults
     * @param regularizers (names, {@code name.param} overrides) to every resolved
     *     {@code name.param -> value} of those regularizers
     * @param tableById the spec of a table that a fine-tune table's {@code pretrain} names (it need
     *     not be in this plan: its cell is built exactly as it would be there, so one training serves both)
     */
    public record Resolvers(BiFunction<String, Map<String, String>, Map<String, String>> params,
            SettingsResolver settings,
            BiFunction<List<String>, Map<String, String>, Map<String, String>> regularizers,
            java.util.function.Function<String, TableSpec> tableById) {
    }

    /**
     * Expands tables into cells, with protocol settings, regularizer rows and pretraining dependencies.
     */
    public static Plan of(Preset preset, List<TableSpec> tables, Resolvers resolvers) {
        List<PlannedCell> cells = new ArrayList<>();
        for (TableSpec t : tables) {
            for (TableSpec.Row row : t.rows()) {
                boolean teacherRow = row.objective().equals(TableSpec.TEACHER_ROW);
                for (TableSpec.Column col : t.columns()) {
                    if (preset.omits(t.id(), row.id(), col.id())) {
                        continue;
                    }
                    if (teacherRow) {
                        Cell student = studentCell(preset, t, col, "ce", Map.of(), 1, resolvers);
                        cells.add(new PlannedCell(t.id(), row.id(), col.id(), student.teacher()));
                        continue;
                    }
                    for (int seed = 1; seed <= preset.seeds(); seed++) {
                        Cell cell = rowCell(preset, t, row, col, seed, resolvers);
                        if (t.pretrain() != null) {
                            cell = withPretraining(preset, t, row, cell, seed, resolvers);
                        }
                        cells.add(new PlannedCell(t.id(), row.id(), col.id(), cell));
                    }
                }
            }
        }
        return new Plan(preset, List.copyOf(tables), List.copyOf(cells));
    }

    /** The cell of (table, row, column, seed) as the table itself plans it. */
    private static Cell rowCell(Preset preset, TableSpec t, TableSpec.Row row, TableSpec.Column col, long seed,
            Resolvers resolvers) {
        Map<String, String> params = resolvers.params().apply(row.objective(),
                overrides(row.objective(), row.params(), col.params(), preset.params(t.id())));
        Cell cell = studentCell(preset, t, col, row.objective(), params, seed, resolvers);
        if (row.protocol() != null) {
            // e.g. a distillation table's student baseline: plain classification, no teacher
            cell = new Cell(row.protocol(), cell.dataset(), cell.model(), cell.objective(),
                    cell.params(), cell.recipe(), cell.seed());
        }
        Map<String, String> tableSettings = new LinkedHashMap<>(t.settings());
        tableSettings.putAll(col.settings());
        tableSettings.putAll(preset.settings(t.id()));
        Map<String, String> settings = new TreeMap<>(resolvers.settings().resolve(cell.protocol(), tableSettings,
                t.id()));
        if (row.allowDivergence()) {
            settings.put(Cell.ALLOW_DIVERGENCE, "true");
        }
        cell = cell.withSettings(settings);
        if (!row.regularizers().isEmpty()) {
            Map<String, String> regOverrides = new LinkedHashMap<>(row.regularizerParams());
            regOverrides.putAll(col.params());
            regOverrides.putAll(preset.params(t.id()));
            cell = cell.withRegularizers(row.regularizers(), resolvers.regularizers().apply(row.regularizers(),
                    regOverrides));
        }
        return cell;
    }

    /**
     * The fine-tune cell {@code cell} depending on its pretraining: the cell that table
     * {@code pretrain.table}, row {@code row.id}, column {@code pretrain.column}, same seed, plans.
     */
    private static Cell withPretraining(Preset preset, TableSpec t, TableSpec.Row row, Cell cell, long seed,
            Resolvers resolvers) {
        TableSpec.Pretrain ref = t.pretrain();
        TableSpec source = resolvers.tableById().apply(ref.table());
        TableSpec.Row sourceRow = source.rows().stream().filter(r -> r.id().equals(row.id())).findFirst()
                .orElseThrow(() -> new cambench.api.UserException("table " + t.id() + ": row " + row.id()
                        + " has no pretraining row of that id in " + ref.table()));
        TableSpec.Column sourceCol = source.columns().stream().filter(c -> c.id().equals(ref.column())).findFirst()
                .orElseThrow(() -> new cambench.api.UserException("table " + t.id() + ": field pretrain.column '"
                        + ref.column() + "' is not a column of " + ref.table()));
        Cell pretrain = rowCell(preset, source, sourceRow, sourceCol, seed, resolvers);
        return new Cell(cell.protocol(), cell.dataset(), cell.model(), cell.objective(), cell.params(),
                cell.recipe(), cell.seed(), pretrain, cell.settings(), cell.regularizers(), cell.regularizerParams());
    }

    /** Row parameters, then the column's and the preset's for this table and objective ({@code objective.param} keys). */
    private static Map<String, String> overrides(String objective, Map<String, String> row,
            Map<String, String> column, Map<String, String> preset) {
        Map<String, String> out = new LinkedHashMap<>(row);
        String prefix = objective + ".";
        for (Map<String, String> scoped : List.of(column, preset)) {
            scoped.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
        }
        return out;
    }

    private static Cell studentCell(Preset preset, TableSpec t, TableSpec.Column col, String objective,
            Map<String, String> params, long seed, Resolvers resolvers) {
        Recipe recipe = preset.recipe(t.id(), col.recipe() != null ? col.recipe() : t.recipe());
        String dataset = preset.dataset(t.id(), col.dataset());
        // a teacher takes the preset's global recipe fields only, never a table's, and its protocol's
        // default settings: one paper teacher stays one training whichever tables its students are in
        Cell teacher = col.teacher() == null ? null : new Cell(TEACHER_PROTOCOL, dataset, preset.model(col.teacher()),
                "ce", resolvers.params().apply("ce", Map.of()), preset.recipe(t.teacherRecipeOrDefault()),
                t.teacherSeed(), null, resolvers.settings().resolve(TEACHER_PROTOCOL, Map.of(), "teacher of " + t.id()));
        return new Cell(t.protocol(), dataset, preset.model(t.id(), col.model()), objective, params, recipe, seed, teacher);
    }

    /**
     * The plan's identity: 12 hex digits of a SHA-256 over its placed cells (table, row, column,
     * cell key) and its distinct cells, in order. Two commands compute the same hash exactly when
     * they plan the same cells in the same order (so {@code --cell-index} means the same cell).
     */
    public String hash() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (PlannedCell p : cells) {
                md.update((p.table() + "\t" + p.row() + "\t" + p.column() + "\t" + p.cell().key() + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (Cell c : distinctCells()) {
                md.update((c.key() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(md.digest(), 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cells whose records {@code cell} needs before it can run (its teacher), in order. */
    public static List<Cell> dependencies(Cell cell) {
        return cell.teacher() == null ? List.of() : List.of(cell.teacher());
    }

    /** The distinct cells to run, in plan order (shared cells once; teachers before their students). */
    public List<Cell> distinctCells() {
        Set<String> seen = new LinkedHashSet<>();
        List<Cell> out = new ArrayList<>();
        for (PlannedCell p : cells) {
            Cell teacher = p.cell().teacher();
            if (teacher != null && seen.add(teacher.key())) {
                out.add(teacher);
            }
            if (seen.add(p.cell().key())) {
                out.add(p.cell());
            }
        }
        return out;
    }
}
