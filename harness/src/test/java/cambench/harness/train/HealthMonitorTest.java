package cambench.harness.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.results.record.EpochMetrics;
import cambench.results.record.TrainingHealth;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * The health monitor on planted loss and error sequences (engine-free): a finite blow-up and a
 * collapse to chance fail the run as they happen, a run that never learned is flagged but not
 * failed, and a run that allows divergence keeps the event instead.
 */
class HealthMonitorTest {
    /** 10 classes, 200 test images: quick's glyph sets. */
    private static HealthMonitor monitor(boolean allow) {
        return new HealthMonitor(TrainingHealth.Limits.DEFAULT, allow, 10, 200);
    }

    /** Feeds an epoch of steps with these losses, then its evaluation. */
    private static void epoch(HealthMonitor m, int epoch, double error, double... losses) {
        double sum = 0;
        int finite = 0;
        for (int i = 0; i < losses.length; i++) {
            if (m.acceptStep(losses[i], epoch, (epoch - 1) * 100L + i + 1) && Double.isFinite(losses[i])) {
                sum += losses[i];
                finite++;
            }
        }
        m.epochEnd(epoch, sum / Math.max(finite, 1), error);
    }

    @Test
    void chance_tenClassesOn200Images_isThreeBinomialSigmasBelow90() {
        // 90 - 3 * 100 * sqrt(0.1 * 0.9 / 200) = 90 - 6.3640
        assertEquals(83.6360, TrainingHealth.atChanceFrom(10, 200, 3), 1e-4);
        assertEquals(90.0, TrainingHealth.chanceError(10), 1e-12);
    }

    @Test
    void healthyRun_passes_andReportsItsHealth() {
        HealthMonitor m = monitor(false);
        epoch(m, 1, 85.0, 2.4, 2.3, 2.1, 1.9);
        epoch(m, 2, 40.0, 1.6, 1.5, 1.2);
        epoch(m, 3, 24.0, 1.0, 0.9, 0.8);
        TrainingHealth h = m.health();
        assertEquals(0, h.nonFiniteSteps());
        assertEquals(2.175, h.firstEpochLoss(), 1e-12);
        // the largest ratio: step 2 of epoch 1 against step 1 (2.3 / 2.4), above epoch 2's 1.6 / 2.175
        assertEquals(2.3 / 2.4, h.maxLossRatio(), 1e-12);
        assertEquals(1, h.maxLossEpoch());
        assertEquals(24.0, h.finalError());
        assertEquals(24.0, h.bestError());
        assertEquals(3, h.bestEpoch());
        assertFalse(h.finalAtChance());
        assertEquals(List.of(), h.flags());
        assertEquals("", h.flagReason());
        assertEquals(45.0, h.learnedBelow(), 1e-12);
    }

    @Test
    void finiteBlowUp_failsAtTheStep_namingRatioAndLimit() {
        // the CCM cell: epochs 1-2 as the good runs, then a step loss of 5.8e12 in epoch 3
        HealthMonitor m = monitor(false);
        epoch(m, 1, 89.5, 3.6, 3.4, 3.35);
        epoch(m, 2, 76.5, 2.5, 2.4);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> m.acceptStep(5.8e12, 3, 215));
        assertEquals("loss_blow_up", e.kind());
        assertEquals(3, e.epoch());
        assertEquals("training blew up: loss 5.800e+12 at iteration 215 (epoch 3) is 1.68e+12 x the first epoch's"
                + " mean loss 3.450 (limit 1000 x); lower the learning rate or the loss weights", e.getMessage());
    }

    @Test
    void blowUpInEpochOne_isMeasuredAgainstTheEarlierSteps() {
        HealthMonitor m = monitor(false);
        assertTrue(m.acceptStep(2.3, 1, 1));
        assertTrue(m.acceptStep(2.2, 1, 2));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> m.acceptStep(5e3, 1, 3));
        assertTrue(e.getMessage().contains("x the mean of epoch 1's earlier steps 2.250"), e.getMessage());
    }

    @Test
    void nonFiniteLoss_failsAsBefore() {
        HealthMonitor m = monitor(false);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> m.acceptStep(Double.NaN, 1, 16));
        assertEquals("diverged", e.kind());
        assertEquals("training diverged: loss NaN at iteration 16 (epoch 1); lower the learning rate or the loss"
                + " weights", e.getMessage());
    }

    @Test
    void collapseToChanceAfterLearning_failsAtThatEpoch() {
        HealthMonitor m = monitor(false);
        epoch(m, 1, 80.0, 2.3, 2.2);
        epoch(m, 2, 40.0, 1.5, 1.4);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> epoch(m, 3, 90.0, 2.3, 2.3));
        assertEquals("collapsed_to_chance", e.kind());
        assertEquals("training collapsed: test error 90.00% after epoch 3 is at chance (83.64% or more for 10 classes"
                + " on 200 test images), after 40.00% at epoch 2; lower the learning rate or the loss weights",
                e.getMessage());
    }

    @Test
    void neverLearned_isFlaggedAtChance_notFailed() {
        // as the pure-CAT rows of quick's Tables A.1/A.2: no CE term, the classifier never trains
        HealthMonitor m = monitor(false);
        epoch(m, 1, 90.0, 5.0, 4.0);
        epoch(m, 2, 88.5, 3.0, 2.5);
        epoch(m, 3, 90.0, 2.0, 1.9);
        TrainingHealth h = m.health();
        assertTrue(h.finalAtChance());
        assertEquals(0, h.collapsedAtEpoch());
        assertEquals(List.of(TrainingHealth.AT_CHANCE), h.flags());
        assertEquals("last epoch at chance (test error 90.00% >= 83.64% for 10 classes on 200 images; best 88.50% at"
                + " epoch 2, it never learned)", h.flagReason());
    }

    @Test
    void learnedOnlyPartly_thenWorse_isNotACollapse() {
        // best 60% is above half the chance error (45%): the run never clearly learned
        HealthMonitor m = monitor(false);
        epoch(m, 1, 60.0, 2.3);
        epoch(m, 2, 88.0, 2.2);
        assertTrue(m.health().finalAtChance());
        assertEquals(0, m.health().collapsedAtEpoch());
    }

    @Test
    void allowedDivergence_keepsTheFirstEvent_skipsNonFiniteSteps_andGoesOn() {
        HealthMonitor m = monitor(true);
        epoch(m, 1, 80.0, 2.3, 2.2);
        epoch(m, 2, 40.0, 1.5, 1.4);
        assertTrue(m.acceptStep(1e9, 3, 7), "a finite blow-up is applied and recorded");
        assertFalse(m.acceptStep(Double.POSITIVE_INFINITY, 3, 8), "a non-finite step is skipped");
        m.epochEnd(3, 1e9, 90.0);
        TrainingHealth h = m.health();
        assertEquals(1, h.nonFiniteSteps());
        assertEquals(3, h.maxLossEpoch());
        assertEquals(3, h.collapsedAtEpoch());
        assertTrue(h.allowDivergence());
        assertTrue(h.divergence().startsWith("loss_blow_up: training blew up: loss 1.000e+09 at iteration 7"),
                h.divergence());
        assertEquals(List.of(TrainingHealth.DIVERGED, TrainingHealth.AT_CHANCE), h.flags());
    }

    @Test
    void restoreFromOlderCheckpoint_rebuildsFromTheEpochs_andChecksTheRest() {
        HealthMonitor m = monitor(false);
        m.restore(null, List.of(new EpochMetrics(1, 0.1, 3.0, Map.of(), 0.2, 80.0, 50.0, 1),
                new EpochMetrics(2, 0.1, 2.0, Map.of(), 0.5, 30.0, 10.0, 1)));
        assertEquals(3.0, m.health().firstEpochLoss());
        assertEquals(30.0, m.health().bestError());
        assertThrows(TrainingDivergedException.class, () -> m.acceptStep(3001.0 + 1, 3, 30));
        HealthMonitor resumed = monitor(false);
        resumed.restore(m.state(), List.of());
        assertEquals(m.health(), resumed.health());
    }
}
