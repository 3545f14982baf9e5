package cambench.results.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Strict parsing of table specs and presets: a typo is a one-line error naming the file and field. */
class SpecParsingTest {
    private static final String TABLE = """
            {"id": "t", "title": "T", "source": "s", "protocol": "classification", "metric": "top1_error",
             "metric_label": "err", "lower_is_better": true, "baseline_row": "ce",
             "recipe": {"epochs": 2, "batch_size": 8, "lr": 0.1, "momentum": 0.9, "nesterov": false,
                        "weight_decay": 0, "schedule": "cosine", "augment": "none"},
             "recipe_note": "n",
             "columns": [{"id": "a", "label": "A", "dataset": "d", "model": "m"},
                         {"id": "b", "label": "B", "dataset": "d", "model": "m"}],
             "rows": [{"id": "ce", "label": "CE", "objective": "ce", "paper": [1.0, 2.0]},
                      {"id": "cam", "label": "CAM", "objective": "cam"}]}
            """;

    private static TableSpec table(String json) throws IOException {
        return PlanResources.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "my/t.json",
                TableSpec.class);
    }

    private static String tableError(String json) {
        return assertThrows(UserException.class, () -> table(json)).getMessage();
    }

    @Test
    void table_valid_parses() throws IOException {
        TableSpec t = table(TABLE);
        assertEquals(2, t.columns().size());
        assertTrue(t.lowerIsBetter());
    }

    @Test
    void table_allowDivergence_needsANote() throws IOException {
        String allowed = TABLE.replace("{\"id\": \"cam\", \"label\": \"CAM\", \"objective\": \"cam\"}",
                "{\"id\": \"cam\", \"label\": \"CAM\", \"objective\": \"cam\", \"allow_divergence\": true}");
        assertEquals("my/t.json: table t: field rows.cam.divergence_note is required with allow_divergence (say why a"
                + " blow-up is a possible outcome of this row)", tableError(allowed));
        TableSpec t = table(allowed.replace("\"allow_divergence\": true", "\"allow_divergence\": true,"
                + " \"divergence_note\": \"large beta\""));
        assertTrue(t.rows().get(1).allowDivergence());
        assertEquals("large beta", t.rows().get(1).divergenceNote());
        assertFalse(t.rows().get(0).allowDivergence(), "absent means false");
    }

    @Test
    void table_typoInField_namesFileAndField() {
        String msg = tableError(TABLE.replace("\"lower_is_better\"", "\"lower_is_beter\""));
        assertTrue(msg.startsWith("my/t.json: "), msg);
        assertTrue(msg.contains("lower_is_beter"), msg);
        assertFalse(msg.contains("\n"), msg);
    }

    @Test
    void table_typoInsideColumn_namesThePath() {
        String msg = tableError(TABLE.replace("\"label\": \"A\"", "\"lable\": \"A\""));
        assertTrue(msg.contains("columns[0].lable"), msg);
    }

    @Test
    void table_missingLowerIsBetterOrBaseline_isAnError() {
        assertTrue(tableError(TABLE.replace("\"lower_is_better\": true,", "")).contains("lower_is_better"));
        assertTrue(tableError(TABLE.replace("\"baseline_row\": \"ce\",", "")).contains("baseline_row"));
    }

    @Test
    void table_baselineRowNotARow_isAnError() {
        String msg = tableError(TABLE.replace("\"baseline_row\": \"ce\"", "\"baseline_row\": \"cee\""));
        assertTrue(msg.contains("baseline_row") && msg.contains("cee"), msg);
    }

    @Test
    void table_paperCountNotColumns_isAnError() {
        String msg = tableError(TABLE.replace("[1.0, 2.0]", "[1.0, 2.0, 3.0]"));
        assertTrue(msg.contains("rows.ce.paper") && msg.contains("3 values for 2 columns"), msg);
    }

    @Test
    void table_unknownRecipeKeyOrBadSchedule_isAnError() {
        String unknown = tableError(TABLE.replace("\"lr\": 0.1", "\"learning_rate\": 0.1"));
        assertTrue(unknown.contains("learning_rate"), unknown);
        String msg = tableError(TABLE.replace("\"cosine\"", "\"multistep:80,120\""));
        assertTrue(msg.contains("milestone epoch 80"), msg);
    }

    @Test
    void table_wrongType_namesField() {
        String msg = tableError(TABLE.replace("\"lower_is_better\": true", "\"lower_is_better\": \"yes\""));
        assertTrue(msg.contains("lower_is_better"), msg);
    }

    @Test
    void preset_unknownRecipeKey_isAnError() {
        String json = """
                {"name": "p", "description": "d", "seeds": 1, "tables": ["table3"],
                 "recipe": {"epochz": 3}}
                """;
        UserException e = assertThrows(UserException.class, () -> PlanResources.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "p.json", Preset.class));
        assertTrue(e.getMessage().startsWith("p.json: ") && e.getMessage().contains("epochz"), e.getMessage());
    }

    @Test
    void preset_unknownField_isAnError() {
        String json = """
                {"name": "p", "description": "d", "seeds": 1, "tables": ["table3"], "tabels": []}
                """;
        UserException e = assertThrows(UserException.class, () -> PlanResources.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "p.json", Preset.class));
        assertTrue(e.getMessage().contains("tabels"), e.getMessage());
    }
}
