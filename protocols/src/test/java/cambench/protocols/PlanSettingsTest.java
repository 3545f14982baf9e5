package cambench.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.Objectives;
import cambench.api.UserException;
import cambench.harness.run.Protocols;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.plan.PlanBuilder;
import cambench.results.plan.PlanResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Protocol settings (numbers that move a result outside objective parameters and recipes) are
 * resolved into every planned cell, change its key, and are validated against the protocol.
 * Engine-free.
 */
class PlanSettingsTest {
    private static final ClassLoader LOADER = PlanSettingsTest.class.getClassLoader();
    private static final Protocols PROTOCOLS = new Protocols(LOADER);

    private static PlanBuilder builder(ClassLoader loader) {
        return new PlanBuilder(new PlanResources(loader), Objectives.builtIn(), PROTOCOLS::settings);
    }

    @Test
    void fewShotCells_carryCloserLookDefaults_classificationCellsCarryDropout() {
        Plan plan = builder(LOADER).build("smoke", List.of("6", "3"), 1, List.of(), Map.of());
        Cell fewShot = plan.distinctCells().stream().filter(c -> c.protocol().startsWith("fewshot")).findFirst()
                .orElseThrow();
        assertEquals("100", fewShot.settings().get("finetune_epochs"));
        assertEquals("4", fewShot.settings().get("finetune_batch_size"));
        assertEquals("0.01", fewShot.settings().get("finetune_lr"));
        assertEquals("auto", fewShot.settings().get("cosine_scale"));
        assertEquals("512", fewShot.settings().get("base_check_images"));
        Cell classification = plan.distinctCells().stream().filter(c -> c.protocol().equals("classification"))
                .findFirst().orElseThrow();
        assertEquals(Map.of("dropout", "0.0"), classification.settings());
    }

    @Test
    void settingOverride_changesOnlyTheCellsWhoseProtocolTakesIt() {
        Plan base = builder(LOADER).build("smoke", List.of("6", "3"), 1, List.of(), Map.of());
        Plan fewer = builder(LOADER).build("smoke", List.of("6", "3"), 1, List.of(), Map.of(), List.of(),
                Map.of("finetune_epochs", "50"));
        assertEquals(base.distinctCells().size(), fewer.distinctCells().size());
        for (int i = 0; i < base.distinctCells().size(); i++) {
            Cell a = base.distinctCells().get(i);
            Cell b = fewer.distinctCells().get(i);
            if (a.protocol().startsWith("fewshot")) {
                assertEquals("50", b.settings().get("finetune_epochs"));
                assertNotEquals(a.key(), b.key(), "a changed setting must not reuse a record");
            } else {
                assertEquals(a.key(), b.key(), a.fileName());
            }
        }
    }

    @Test
    void unknownSettingOnCommandLine_isOneLineNamingIt() {
        UserException e = assertThrows(UserException.class, () -> builder(LOADER).build("smoke", List.of("3"), 1,
                List.of(), Map.of(), List.of(), Map.of("finetune_epochs", "50")));
        assertTrue(e.getMessage().startsWith("--setting finetune_epochs: no protocol of this plan takes it"),
                e.getMessage());
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }

    @Test
    void tableSettingUnknownToItsProtocol_namesTableAndKey(@TempDir Path dir) throws IOException {
        write(dir, "cambench/presets/tiny.json", """
                {"name": "tiny", "description": "test", "seeds": 1, "tables": ["tableX"],
                 "table_settings": {"tableX": {"dropout": "0.1"}}}
                """);
        write(dir, "cambench/tables/tableX.json", """
                {"id": "tableX", "title": "t", "source": "s", "protocol": "classification", "metric": "top1_error",
                 "metric_label": "err", "lower_is_better": true, "baseline_row": "ce",
                 "recipe": {"epochs": 1, "batch_size": 8, "lr": 0.1, "momentum": 0.9, "nesterov": false,
                            "weight_decay": 0.0, "schedule": "constant", "augment": "none"},
                 "settings": {"finetune_epochs": "10"},
                 "columns": [{"id": "c", "label": "C", "dataset": "glyphs", "model": "resnet8"}],
                 "rows": [{"id": "ce", "label": "CE", "objective": "ce"}]}
                """);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, LOADER)) {
            UserException e = assertThrows(UserException.class,
                    () -> builder(loader).build("tiny", List.of(), null, List.of(), Map.of()));
            assertEquals("tableX: setting 'finetune_epochs' is not one protocol classification takes; it takes: dropout",
                    e.getMessage());
        }
    }

    @Test
    void presetTableSettings_applyToThatTable(@TempDir Path dir) throws IOException {
        write(dir, "cambench/presets/tiny.json", """
                {"name": "tiny", "description": "test", "seeds": 1, "tables": ["tableX"],
                 "table_settings": {"tableX": {"dropout": "0.3"}}}
                """);
        write(dir, "cambench/tables/tableX.json", """
                {"id": "tableX", "title": "t", "source": "s", "protocol": "classification", "metric": "top1_error",
                 "metric_label": "err", "lower_is_better": true, "baseline_row": "ce",
                 "recipe": {"epochs": 1, "batch_size": 8, "lr": 0.1, "momentum": 0.9, "nesterov": false,
                            "weight_decay": 0.0, "schedule": "constant", "augment": "none"},
                 "settings": {"dropout": "0.1"},
                 "columns": [{"id": "c", "label": "C", "dataset": "glyphs", "model": "wrn_16_1"}],
                 "rows": [{"id": "ce", "label": "CE", "objective": "ce"}]}
                """);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, LOADER)) {
            Plan plan = builder(loader).build("tiny", List.of(), null, List.of(), Map.of());
            assertEquals(Map.of("dropout", "0.3"), plan.distinctCells().get(0).settings());
        }
    }

    @Test
    void rowAllowingDivergence_getsItsOwnCells_otherRowsKeepTheirKeys(@TempDir Path dir) throws IOException {
        write(dir, "cambench/presets/tiny.json", """
                {"name": "tiny", "description": "test", "seeds": 1, "tables": ["tableX"]}
                """);
        String table = """
                {"id": "tableX", "title": "t", "source": "s", "protocol": "classification", "metric": "top1_error",
                 "metric_label": "err", "lower_is_better": true, "baseline_row": "ce",
                 "recipe": {"epochs": 1, "batch_size": 8, "lr": 0.1, "momentum": 0.9, "nesterov": false,
                            "weight_decay": 0.0, "schedule": "constant", "augment": "none"},
                 "columns": [{"id": "c", "label": "C", "dataset": "glyphs", "model": "resnet8"}],
                 "rows": [{"id": "ce", "label": "CE", "objective": "ce"},
                          {"id": "cam", "label": "CAM", "objective": "cam"ALLOW}]}
                """;
        write(dir, "cambench/tables/tableX.json", table.replace("ALLOW", ""));
        List<Cell> plain;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, LOADER)) {
            plain = builder(loader).build("tiny", List.of(), null, List.of(), Map.of()).distinctCells();
        }
        write(dir, "cambench/tables/tableX.json", table.replace("ALLOW",
                ", \"allow_divergence\": true, \"divergence_note\": \"a test\""));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, LOADER)) {
            List<Cell> allowed = builder(loader).build("tiny", List.of(), null, List.of(), Map.of()).distinctCells();
            assertEquals(plain.get(0).key(), allowed.get(0).key(), "the ce row is unchanged");
            assertEquals(Map.of("dropout", "0.0"), allowed.get(0).settings());
            Cell cam = allowed.get(1);
            assertEquals(Map.of("dropout", "0.0", Cell.ALLOW_DIVERGENCE, "true"), cam.settings());
            assertTrue(cam.allowsDivergence());
            assertNotEquals(plain.get(1).key(), cam.key(), "a record made under allow_divergence has its own key");
            assertEquals(Map.of("dropout", "0.0"), PROTOCOLS.get("classification").settingsOf(cam).asMap(),
                    "the protocol sees its own settings only");
        }
    }

    private static void write(Path root, String resource, String text) throws IOException {
        Path file = root.resolve(resource);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
