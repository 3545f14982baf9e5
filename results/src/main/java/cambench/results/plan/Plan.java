package cambench.results.plan;

import cambench.results.plan.Cell;
import cambench.results.record.Recipe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
        List<PlannedCell> cells = new ArrayList<>();
        for (TableSpec t : tables) {
            for (TableSpec.Row row : t.rows()) {
                boolean teacherRow = row.objective().equals(TableSpec.TEACHER_ROW);
                for (TableSpec.Column col : t.columns()) {
                    if (teacherRow) {
                        Cell student = studentCell(preset, t, col, "ce", Map.of(), 1, resolveParams);
                        cells.add(new PlannedCell(t.id(), row.id(), col.id(), student.teacher()));
                        continue;
                    }
                    Map<String, String> params = resolveParams.apply(row.objective(),
                            overrides(row.objective(), row.params(), col.params(), preset.params(t.id())));
                    for (int seed = 1; seed <= preset.seeds(); seed++) {
                        Cell cell = studentCell(preset, t, col, row.objective(), params, seed, resolveParams);
                        if (row.protocol() != null) {
                            cell = new Cell(row.protocol(), cell.dataset(), cell.model(), cell.objective(),
                                    cell.params(), cell.recipe(), cell.seed());
                        }
                        cells.add(new PlannedCell(t.id(), row.id(), col.id(), cell));
                    }
                }
            }
        }
        return new Plan(preset, List.copyOf(tables), List.copyOf(cells));
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
            Map<String, String> params, long seed, BiFunction<String, Map<String, String>, Map<String, String>> resolve) {
        Recipe recipe = preset.recipe(t.id(), col.recipe() != null ? col.recipe() : t.recipe());
        String dataset = preset.dataset(col.dataset());
        // a teacher takes the preset's global recipe fields only, never a table's: one paper teacher
        // stays one training whichever tables its students are in
        Cell teacher = col.teacher() == null ? null : new Cell(TEACHER_PROTOCOL, dataset, preset.model(col.teacher()),
                "ce", resolve.apply("ce", Map.of()), preset.recipe(t.teacherRecipeOrDefault()), t.teacherSeed());
        return new Cell(t.protocol(), dataset, preset.model(col.model()), objective, params, recipe, seed, teacher);
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
