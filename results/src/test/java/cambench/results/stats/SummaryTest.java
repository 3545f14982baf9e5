package cambench.results.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {
    private static final double[] ERRORS = {27.1, 26.5, 27.9, 26.8};

    @Test
    void summary_fourSeeds_matchesScipy() {
        Summary s = Summary.of(ERRORS);
        // numpy mean / std(ddof=1); scipy.stats.t.interval(0.95, 3, loc=mean, scale=sem)
        assertEquals(4, s.n());
        assertEquals(27.075, s.mean(), 1e-12);
        assertEquals(0.602079728939614, s.sd(), 1e-12);
        assertEquals(26.116956795574954, s.ciLow(), 1e-9);
        assertEquals(28.033043204425045, s.ciHigh(), 1e-9);
    }

    @Test
    void summary_oneSeed_hasNoInterval() {
        Summary s = Summary.of(new double[] {5.0});
        assertEquals(5.0, s.mean());
        assertTrue(Double.isNaN(s.sd()));
        assertTrue(Double.isNaN(s.halfWidth()));
        assertFalse(s.excludesZero());
    }

    @Test
    void summary_empty_isNaN() {
        assertTrue(Double.isNaN(Summary.of(new double[0]).mean()));
    }

    @Test
    void normal95_usesOnePointNineSix() {
        Summary s = Summary.normal95(ERRORS);
        assertEquals(1.959963984540054 * 0.602079728939614 / 2, s.halfWidth(), 1e-9);
    }

    @Test
    void pairedGain_fourSeeds_matchesScipyTtestRel() {
        double[] ce = {27.9, 27.0, 28.1, 27.6};
        PairedDifference d = PairedDifference.of(ce, ERRORS, false);
        // scipy.stats.ttest_rel(ce, cam).pvalue and t.interval on the differences
        assertEquals(0.575, d.diff().mean(), 1e-12);
        assertEquals(0.11795594575135931, d.diff().ciLow(), 1e-9);
        assertEquals(1.032044054248641, d.diff().ciHigh(), 1e-9);
        assertEquals(0.027939179916247753, d.p(), 1e-9);
        assertTrue(d.diff().excludesZero());
    }

    @Test
    void pairedGain_oneSeed_hasNoInterval() {
        PairedDifference d = PairedDifference.of(new double[] {2}, new double[] {1}, false);
        assertEquals(1.0, d.diff().mean());
        assertTrue(Double.isNaN(d.p()));
    }

    @Test
    void pairedGain_constantDifference_pIsZero() {
        PairedDifference d = PairedDifference.of(new double[] {2, 3}, new double[] {1, 2}, false);
        assertEquals(0.0, d.p());
    }
}
