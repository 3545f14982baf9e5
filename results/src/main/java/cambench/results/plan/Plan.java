package cambench.results.plan;

import cambench.results.record.Cell;
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
                Map<String, String> overrides = new LinkedHashMap<>(row.params());
                String prefix = row.objective() + ".";
                preset.params().forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        overrides.put(k.substring(prefix.length()), v);
                    }
                });
                Map<String, String> params = resolveParams.apply(row.objective(), overrides);
                for (TableSpec.Column col : t.columns()) {
                    Recipe recipe = preset.recipe(col.recipe() != null ? col.recipe() : t.recipe());
                    for (int seed = 1; seed <= preset.seeds(); seed++) {
                        Cell cell = new Cell(t.protocol(), preset.dataset(col.dataset()), preset.model(col.model()),
                                row.objective(), params, recipe, seed);
                        cells.add(new PlannedCell(t.id(), row.id(), col.id(), cell));
                    }
                }
            }
        }
        return new Plan(preset, List.copyOf(tables), List.copyOf(cells));
    }

    /** The distinct cells to run, in plan order (shared cells once). */
    public List<Cell> distinctCells() {
        Set<String> seen = new LinkedHashSet<>();
        List<Cell> out = new ArrayList<>();
        for (PlannedCell p : cells) {
            if (seen.add(p.cell().key())) {
                out.add(p.cell());
            }
        }
        return out;
    }
}
