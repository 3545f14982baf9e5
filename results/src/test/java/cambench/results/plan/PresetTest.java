package cambench.results.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cambench.results.store.RunStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresetTest {
    private static final String JSON = "{\"name\": \"p\", \"seeds\": 2, \"tables\": [\"tableA5\", \"table3\"],"
            + " \"params\": {\"catkd.beta\": \"5\", \"cam.alpha\": \"2\"},"
            + " \"table_params\": {\"tableA5\": {\"catkd.beta\": \"60\"}}}";

    @Test
    void params_tableParams_overrideGlobalForThatTableOnly() throws Exception {
        Preset p = RunStore.json().readValue(JSON, Preset.class);
        assertEquals(Map.of("catkd.beta", "60", "cam.alpha", "2"), p.params("tableA5"));
        assertEquals(Map.of("catkd.beta", "5", "cam.alpha", "2"), p.params("table3"));
        assertEquals(p.params(), p.params("tableA1"));
    }

    @Test
    void params_noTableParams_isGlobal() {
        Preset p = new Preset("p", "", 1, null, null, null, null, Map.of("cam.alpha", "1"));
        assertEquals(Map.of("cam.alpha", "1"), p.params("table3"));
        assertEquals(Map.of(), p.tableParams());
    }
}
