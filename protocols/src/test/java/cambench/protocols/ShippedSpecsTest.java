package cambench.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.Objectives;
import cambench.harness.model.Models;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.plan.PlanBuilder;
import cambench.results.plan.PlanResources;
import cambench.results.plan.Preset;
import cambench.results.plan.TableSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every shipped preset and table spec parses strictly, and every preset plans all its tables:
 * each objective's parameters resolve and each model (teachers too) exists. Engine-free.
 */
class ShippedSpecsTest {
    private static final PlanResources RESOURCES = new PlanResources(ShippedSpecsTest.class.getClassLoader());
    private static final cambench.harness.run.Protocols PROTOCOLS =
            new cambench.harness.run.Protocols(ShippedSpecsTest.class.getClassLoader());

    @ParameterizedTest
    @ValueSource(strings = {"smoke", "quick", "cpu", "paper"})
    void preset_plansEveryTable_withKnownModelsAndParameters(String name) {
        Preset preset = RESOURCES.preset(name);
        assertFalse(preset.tables().isEmpty(), name + " lists no tables");
        Plan plan = new PlanBuilder(RESOURCES, Objectives.builtIn(), PROTOCOLS::settings).build(name, List.of(), null, List.of(), Map.of());
        assertTrue(plan.tables().size() == preset.tables().size());
        for (Cell cell : plan.distinctCells()) {
            assertTrue(Models.names().contains(cell.model()), name + ": unknown model " + cell.model());
            // a CAM-loss row runs what its label says: its term switches on before the last epoch
            if (cell.objective().equals("cam") && cell.params().get("start_epoch").matches("\\d+")) {
                assertTrue(Integer.parseInt(cell.params().get("start_epoch")) <= cell.recipe().epochs(),
                        name + ": CAM term never on in " + cell.fileName() + " (start_epoch "
                                + cell.params().get("start_epoch") + " > " + cell.recipe().epochs() + " epochs)");
            }
            // every cell carries all of its protocol's settings, so each is in the key and the record
            assertEquals(PROTOCOLS.settings(cell.protocol()).size(), cell.settings().size(), cell.fileName());
            if (cell.teacher() != null) {
                assertTrue(Models.names().contains(cell.teacher().model()), name + ": unknown teacher " + cell.teacher());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"smoke", "quick"})
    void preset_everyDataSpecLoads(String name) {
        Plan plan = new PlanBuilder(RESOURCES, Objectives.builtIn(), PROTOCOLS::settings).build(name, List.of(), 1, List.of(), Map.of());
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (Cell cell : plan.distinctCells()) {
            if (!seen.add(cell.protocol().startsWith("fewshot") + " " + cell.dataset())) {
                continue;
            }
            if (cell.protocol().startsWith("fewshot")) {
                assertTrue(new cambench.harness.datasets.FewShotCatalog(null).load(cell.dataset()).novel().count() > 0,
                        cell.dataset());
            } else {
                assertTrue(new cambench.harness.datasets.DatasetCatalog(null).load(cell.dataset()).train().count() > 0,
                        cell.dataset());
            }
        }
        assertFalse(seen.isEmpty());
    }

    @org.junit.jupiter.api.Test
    void everyTableFile_parsesStrictly() throws IOException {
        Path dir = Path.of(System.getProperty("cambench.repo"), "protocols/src/main/resources/cambench/tables");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> specs = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertTrue(specs.size() >= 11, "tables found: " + specs.size());
            for (Path p : specs) {
                try (InputStream in = Files.newInputStream(p)) {
                    TableSpec t = PlanResources.parse(in, p.getFileName().toString(), TableSpec.class);
                    assertTrue(p.getFileName().toString().equals(t.id() + ".json"), p + " holds table " + t.id());
                }
            }
        }
    }
}
