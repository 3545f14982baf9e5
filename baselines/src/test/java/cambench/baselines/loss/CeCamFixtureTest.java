package cambench.baselines.loss;

import static cambench.baselines.FixtureAssert.assertFixtureMatches;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

/** {@code ce} and {@code cam} against the public fixtures (docs/losses.md). */
@Tag("engine")
class CeCamFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"ce-1", "ce-2", "cam-1", "cam-2"})
    void loss_fixture_matchesIndependentPyTorch(String name) throws IOException {
        assertFixtureMatches(name);
    }
}
