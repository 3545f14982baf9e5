package cambench.baselines.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The L-Softmax lambda schedule and thresholds; plain Java, no engine. */
class LSoftmaxScheduleTest {

    @Test
    void anneal_followsOriginalFormula() {
        LSoftmaxLoss.LambdaSchedule s = new LSoftmaxLoss.LambdaSchedule(Double.NaN, 1000, 1e-5, 45, 0);
        // 1000 * (1 + 1e-5 * it)^-45, evaluated by hand
        assertEquals(1000 * Math.pow(1.00001, -45), s.at(1), 1e-9);
        assertEquals(1000 * Math.pow(1.1, -45), s.at(10_000), 1e-9);
        assertEquals(0.0, s.at(Long.MAX_VALUE / 2), 0.0);
    }

    @Test
    void anneal_neverBelowLambdaMin() {
        LSoftmaxLoss.LambdaSchedule s = new LSoftmaxLoss.LambdaSchedule(Double.NaN, 1000, 1e-5, 45, 5);
        assertEquals(5.0, s.at(1_000_000), 0.0);
    }

    @Test
    void fixedLambda_ignoresIteration() {
        LSoftmaxLoss.LambdaSchedule s = new LSoftmaxLoss.LambdaSchedule(0.5, 1000, 1e-5, 45, 0);
        assertEquals(0.5, s.at(1), 0.0);
        assertEquals(0.5, s.at(1_000_000), 0.0);
    }

    @Test
    void thresholds_areExactAtZeroAndMinusOne() {
        assertEquals(0f, LSoftmaxLoss.threshold(1, 2), 0f);
        assertEquals(-1f, LSoftmaxLoss.threshold(2, 2), 0f);
        assertEquals(0f, LSoftmaxLoss.threshold(2, 4), 0f);
        assertEquals(0.5f, LSoftmaxLoss.threshold(1, 3), 0f);
        assertEquals(-0.5f, LSoftmaxLoss.threshold(2, 3), 1e-7f);
    }
}
