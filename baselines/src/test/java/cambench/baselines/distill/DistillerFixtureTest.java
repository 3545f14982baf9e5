package cambench.baselines.distill;

import static cambench.baselines.FixtureAssert.assertFixtureMatches;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

/** {@code kd}, {@code at}, {@code ccm} and {@code catkd} against the public fixtures (docs/losses.md). */
@Tag("engine")
class DistillerFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"kd-1", "kd-2", "at-1", "at-2", "ccm-1", "ccm-2", "catkd-1", "catkd-2"})
    void distiller_fixture_matchesIndependentPyTorch(String name) throws IOException {
        assertFixtureMatches(name);
    }
}
