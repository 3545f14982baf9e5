package cambench.baselines.loss;

import static cambench.baselines.FixtureAssert.assertFixtureMatches;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

/** {@code center}, {@code lsoftmax}, {@code smsoftmax} and {@code negcam} against the public fixtures (docs/losses.md). */
@Tag("engine")
class LossBaselinesFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"center-1", "center-2", "lsoftmax-1", "lsoftmax-2", "smsoftmax-1", "smsoftmax-2",
        "negcam-1", "negcam-2"})
    void loss_fixture_matchesIndependentPyTorch(String name) throws IOException {
        assertFixtureMatches(name);
    }
}
