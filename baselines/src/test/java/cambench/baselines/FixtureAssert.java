package cambench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cambench.harness.check.LossCheck;
import cambench.harness.engine.EngineSetup;
import cambench.api.Objectives;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs {@code loss-check} on a fixture of the test resources ({@code fixtures/losses/NAME.json}) and
 * compares every number with {@code NAME.expected.json} within {@code 1e-4 + 1e-3 |expected|}
 * (docs/losses.md#loss-check-fixtures). The expected files come from an independent PyTorch float64
 * implementation, {@code tools/gen_loss_fixtures.py}, rounded to float32.
 */
public final class FixtureAssert {
    /** The class-path folder of the fixtures. */
    private static final String FOLDER = "/fixtures/losses/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FixtureAssert() {
    }

    /** The fixture folder on the test class path (target/test-classes/fixtures/losses). */
    public static Path folder() {
        return fixture("").normalize();
    }

    /**
     * The fixture file {@code name} (e.g. {@code cam-2.json}) on the test class path.
     *
     * @throws AssertionError when the class path holds no such file
     */
    public static Path fixture(String name) {
        URL url = FixtureAssert.class.getResource(FOLDER + name);
        assertNotNull(url, "missing fixture " + FOLDER + name + " on the test class path"
                + " (baselines/src/test/resources" + FOLDER + ")");
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("fixture URL " + url, e);
        }
    }

    /** Asserts that fixture {@code name} (e.g. {@code cam-2}) matches its expected output. */
    public static void assertFixtureMatches(String name) throws IOException {
        assertMatches(fixture(name + ".json"), fixture(name + ".expected.json"));
    }

    /**
     * Asserts that {@code loss-check} on an input fixture file matches an expected output file,
     * number by number within {@code 1e-4 + 1e-3 |expected|}, with the same fields and lengths.
     */
    public static void assertMatches(Path input, Path expectedFile) throws IOException {
        EngineSetup.start(1);
        JsonNode actual = new LossCheck(Objectives.builtIn()).run(input);
        JsonNode expected = JSON.readTree(expectedFile.toFile());
        String name = input.getFileName().toString();
        assertEquals(fieldNames(expected), fieldNames(actual), name + ": output fields");
        compare(name, expected, actual);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
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
