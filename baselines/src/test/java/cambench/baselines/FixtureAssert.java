package cambench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cambench.harness.check.LossCheck;
import cambench.harness.engine.EngineSetup;
import cambench.api.Objectives;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Map;

/**
 * Runs {@code loss-check} on a public fixture of ../shared/fixtures/losses and compares every
 * number with the expected file (independent PyTorch, float64 rounded to float32) within
 * {@code 1e-4 + 1e-3 |expected|}, the tolerance the fixtures' README states.
 */
public final class FixtureAssert {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FixtureAssert() {
    }

    /** The shared fixture folder. */
    public static Path fixtures() {
        String shared = System.getProperty("cambench.shared");
        Path base = shared != null ? Paths.get(shared) : Paths.get("..", "..", "shared");
        return base.resolve("fixtures").resolve("losses");
    }

    /** Asserts that fixture {@code name} (e.g. {@code cam-2}) matches its expected output. */
    public static void assertFixtureMatches(String name) throws IOException {
        EngineSetup.start(1);
        Path input = fixtures().resolve(name + ".json");
        assertTrue(Files.exists(input), "missing fixture " + input);
        JsonNode actual = new LossCheck(Objectives.builtIn()).run(input);
        JsonNode expected = JSON.readTree(fixtures().resolve(name + ".expected.json").toFile());
        compare(name, expected, actual);
    }

    private static void compare(String path, JsonNode expected, JsonNode actual) {
        if (actual == null) {
            fail(path + ": missing in output");
        }
        if (expected.isNumber()) {
            double e = expected.asDouble();
            double a = actual.asDouble();
            assertTrue(Math.abs(a - e) <= 1e-4 + 1e-3 * Math.abs(e), path + ": expected " + e + ", got " + a);
            return;
        }
        if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path + ": length");
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i));
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            compare(path + "." + e.getKey(), e.getValue(), actual.get(e.getKey()));
        }
    }
}
