package cambench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.Objectives;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The fixture folder is complete: every input has its expected file and a test, every built-in has fixtures. */
class FixtureFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIXTURE_TESTS = List.of("cambench.baselines.loss.CeCamFixtureTest",
            "cambench.baselines.loss.LossBaselinesFixtureTest", "cambench.baselines.distill.DistillerFixtureTest",
            "cambench.baselines.OneByOneFixtureTest");

    @Test
    void fixtureFolder_everyInput_hasExpectedFileAndTest() throws IOException, ClassNotFoundException {
        Set<String> tested = testedNames();
        List<String> inputs = inputNames();
        assertTrue(inputs.size() >= 20, "fixtures in " + FixtureAssert.folder() + ": " + inputs);
        for (String name : inputs) {
            assertTrue(Files.exists(FixtureAssert.folder().resolve(name + ".expected.json")),
                    name + ": no expected file; run tools/gen_loss_fixtures.py --write");
            assertTrue(tested.contains(name), name + ": no fixture test lists it");
        }
        assertEquals(new TreeSet<>(inputs), tested, "fixture tests name exactly the fixture files");
    }

    @Test
    void fixtureFolder_everyBuiltIn_hasTwoFixtures() throws IOException {
        Map<String, Integer> perLoss = new TreeMap<>();
        for (String name : inputNames()) {
            String loss = JSON.readTree(FixtureAssert.fixture(name + ".json").toFile()).get("loss").asText();
            perLoss.merge(loss, 1, Integer::sum);
        }
        for (String objective : Objectives.builtIn().all().keySet()) {
            assertTrue(perLoss.getOrDefault(objective, 0) >= 2, objective + ": fewer than 2 fixtures " + perLoss);
        }
        assertEquals(Objectives.builtIn().all().keySet(), perLoss.keySet());
    }

    private static List<String> inputNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(FixtureAssert.folder())) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json") && !f.endsWith(".expected.json"))
                    .map(f -> f.substring(0, f.length() - ".json".length()))
                    .sorted()
                    .forEach(names::add);
        }
        return names;
    }

    /** The fixture names in the {@code @ValueSource} of the fixture tests. */
    private static Set<String> testedNames() throws ClassNotFoundException {
        Set<String> names = new TreeSet<>();
        for (String test : FIXTURE_TESTS) {
            for (Method m : Class.forName(test).getDeclaredMethods()) {
                ValueSource source = m.getAnnotation(ValueSource.class);
                if (source != null) {
                    names.addAll(List.of(source.strings()));
                }
            }
        }
        return names;
    }
}
