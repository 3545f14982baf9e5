package cambench.baselines;

import static cambench.baselines.FixtureAssert.assertFixtureMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.Objectives;
import cambench.harness.check.LossCheck;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every built-in objective on 1x1 feature maps (teacher maps 2x2 for CCM and CAT-KD, 1x1 for AT)
 * against the independent PyTorch reference: {@code loss-check} computes what it is given, a
 * degenerate CAM included (docs/losses.md, loss-check fixtures).
 */
@Tag("engine")
class OneByOneFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"ce-1x1", "cam-1x1", "center-1x1", "lsoftmax-1x1", "smsoftmax-1x1", "negcam-1x1",
        "kd-1x1", "at-1x1", "ccm-1x1", "catkd-1x1"})
    void lossCheck_oneByOneFeatureMap_matchesIndependentPyTorch(String name) throws IOException {
        assertFixtureMatches(name);
    }

    @Test
    void lossCheck_camOfOnePosition_warnsOnceAndCeOnlyDoesNot() {
        EngineSetup.start(1);
        List<String> warnings = new ArrayList<>();
        LossCheck check = new LossCheck(Objectives.builtIn(), warnings::add);
        check.run(FixtureAssert.fixture("cam-1x1.json"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("cam-1x1.json: a class activation map of 1 position(s)"), warnings.get(0));
        check.run(FixtureAssert.fixture("ce-1x1.json"));
        assertEquals(1, warnings.size(), "ce normalises no map: " + warnings);
    }
}
