package cambench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** Registration rules of {@link ObjectiveProvider} and the two parameter stages of {@link Objectives}. */
class ObjectiveProviderTest {

    /** A provider whose objective is never run here. */
    static final class Named extends ObjectiveProvider {
        Named(String name, List<ParamSpec> params) {
            super(name, Kind.DISTILLER, "test objective", params, context -> out -> null);
        }
    }

    private static final List<ParamSpec> PARAMS = List.of(ParamSpec.of("T", 4.0, "temperature"),
            ParamSpec.required("beta", "weight"));

    @Test
    void constructor_statesEverythingOnce_accessorsReturnIt() {
        Named p = new Named("my_kd2", PARAMS);
        assertEquals("my_kd2", p.name());
        assertEquals(ObjectiveProvider.Kind.DISTILLER, p.kind());
        assertTrue(p.kind().needsTeacher());
        assertEquals("test objective", p.description());
        assertEquals(PARAMS, p.parameters());
    }

    @Test
    void constructor_badNames_areRejected() {
        for (String bad : new String[] {"Cam", "cam.v2", "2cam", "", "cam-loss"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Named(bad, List.of()),
                    bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void constructor_repeatedOrDottedParameter_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Named("x", List.of(ParamSpec.of("a", 1, "one"),
                ParamSpec.of("a", 2, "two"))));
        assertThrows(IllegalArgumentException.class, () -> new Named("x", List.of(ParamSpec.of("a.b", 1, "one"))));
    }

    @Test
    void resolve_fillsDefaults_resolvedTakesValuesAsTheyAre() {
        Objectives objectives = Objectives.of(List.of(new Named("kd", PARAMS)));
        Params p = objectives.resolve("kd", Map.of("beta", "0.5"));
        assertEquals(Map.of("T", "4.0", "beta", "0.5"), p.asMap());
        assertEquals("kd", p.owner());
        assertEquals(p.asMap(), objectives.resolved("kd", p.asMap()).asMap());
    }

    @Test
    void resolved_missingOrUnknownKey_namesIt() {
        Objectives objectives = Objectives.of(List.of(new Named("kd", PARAMS)));
        UserException missing = assertThrows(UserException.class, () -> objectives.resolved("kd", Map.of("beta", "1")));
        assertTrue(missing.getMessage().contains("'kd.T'"), missing.getMessage());
        UserException unknown = assertThrows(UserException.class,
                () -> objectives.resolved("kd", Map.of("T", "4", "beta", "1", "gamma", "2")));
        assertTrue(unknown.getMessage().startsWith("unknown parameter 'kd.gamma'"), unknown.getMessage());
    }

    @Test
    void params_aboveAndInvalid_nameObjectiveAndKey() {
        Params p = Params.resolve("kd", PARAMS, Map.of("T", "0", "beta", "x"));
        assertEquals("parameter 'kd.T' must be > 0.0, got 0.0",
                assertThrows(UserException.class, () -> p.above("T", 0)).getMessage());
        assertEquals("parameter 'kd.beta' must be a weight, got 'x'", p.invalid("beta", "a weight").getMessage());
    }

    @Test
    void of_twoClassesWithOneName_isUserError() {
        ObjectiveProvider other = new ObjectiveProvider("kd", ObjectiveProvider.Kind.LOSS, "another", List.of(),
                context -> out -> null) {
        };
        UserException e = assertThrows(UserException.class,
                () -> Objectives.of(List.of(new Named("kd", PARAMS), other)));
        assertTrue(e.getMessage().contains("two objectives are named 'kd'"), e.getMessage());
    }
}
