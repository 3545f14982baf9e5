package cambench.harness.train;

import cambench.results.record.TrainingHealth;

import java.util.Locale;

/**
 * Watches a training run step by step and epoch by epoch and stops it where it blows up
 * (docs/trust.md): a non-finite step loss, a finite step loss above {@link TrainingHealth.Limits#lossRatio}
 * times the first epoch's mean (during epoch 1: the mean of its earlier steps), or an epoch at
 * chance after the run had learned. Each is a {@link TrainingDivergedException} (the cell fails,
 * no record) unless the cell allows divergence; then a non-finite step is skipped, the first event
 * is kept, and training goes on. {@link #health} is the record's snapshot.
 */
final class HealthMonitor {
    private final TrainingHealth.Limits limits;
    private final boolean allowDivergence;
    private final int classes;
    private final int testImages;
    private State state;
    private double epochOneSum;
    private long epochOneSteps;

    /**
     * What a checkpoint keeps of the monitor (the running sums of epoch 1 are not needed: checkpoints
     * are written after whole epochs).
     */
    record State(int nonFiniteSteps, double firstEpochLoss, double maxLossRatio, int maxLossEpoch,
            double bestError, int bestEpoch, double finalError, int collapsedAtEpoch, String divergence) {
        static final State START = new State(0, 0, 0, 0, 0, 0, 0, 0, "");
    }

    /**
     * Creates a monitor.
     *
     * @param classes K, for the chance error
     * @param testImages images per evaluation
     */
    HealthMonitor(TrainingHealth.Limits limits, boolean allowDivergence, int classes, int testImages) {
        this.limits = limits;
        this.allowDivergence = allowDivergence;
        this.classes = classes;
        this.testImages = testImages;
        this.state = State.START;
    }

    /** Continues from a checkpoint's state (null: an older checkpoint, rebuilt from its epochs as far as they tell). */
    void restore(State saved, java.util.List<cambench.results.record.EpochMetrics> history) {
        if (saved != null) {
            state = saved;
            return;
        }
        state = State.START;
        for (cambench.results.record.EpochMetrics m : history) {
            epochEnd(m.epoch(), m.trainLoss(), m.testTop1Error());
        }
    }

    /** The state to checkpoint. */
    State state() {
        return state;
    }

    /**
     * Judges one step's loss before its update is applied.
     *
     * @param epoch the step's epoch, 1-based
     * @return whether the update may be applied (false: a non-finite loss in a run that allows divergence)
     * @throws TrainingDivergedException for a non-finite or exploded loss where divergence is not allowed
     */
    boolean acceptStep(double loss, int epoch, long iteration) {
        if (!Double.isFinite(loss)) {
            state = with(state.nonFiniteSteps() + 1, state.maxLossRatio(), state.maxLossEpoch());
            diverged("diverged", "training diverged: loss " + loss + " at iteration " + iteration + " (epoch " + epoch
                    + "); lower the learning rate or the loss weights", epoch);
            return false;
        }
        double reference = epoch == 1 ? (epochOneSteps == 0 ? Double.NaN : epochOneSum / epochOneSteps)
                : state.firstEpochLoss();
        if (epoch == 1) {
            epochOneSum += loss;
            epochOneSteps++;
        }
        if (Double.isNaN(reference)) {
            return true;
        }
        double ratio = loss / Math.max(reference, limits.minReference());
        if (ratio > state.maxLossRatio()) {
            state = with(state.nonFiniteSteps(), ratio, epoch);
        }
        if (ratio > limits.lossRatio()) {
            diverged("loss_blow_up", String.format(Locale.ROOT, "training blew up: loss %.4g at iteration %d (epoch %d)"
                    + " is %.3g x %s %.4g (limit %.0f x); lower the learning rate or the loss weights", loss, iteration,
                    epoch, ratio, epoch == 1 ? "the mean of epoch 1's earlier steps" : "the first epoch's mean loss",
                    reference, limits.lossRatio()), epoch);
        }
        return true;
    }

    /**
     * Judges an epoch's evaluation.
     *
     * @param epoch 1-based
     * @param trainLoss the epoch's mean training loss (epoch 1's is the reference of later steps)
     * @param top1Error the epoch's test error (%)
     * @throws TrainingDivergedException when the run had learned and this epoch is at chance, where
     *     divergence is not allowed
     */
    void epochEnd(int epoch, double trainLoss, double top1Error) {
        State s = state;
        double first = epoch == 1 ? trainLoss : s.firstEpochLoss();
        boolean better = s.bestEpoch() == 0 || top1Error < s.bestError();
        double best = better ? top1Error : s.bestError();
        int bestEpoch = better ? epoch : s.bestEpoch();
        boolean learnedBefore = s.bestEpoch() > 0 && s.bestError() <= learnedBelow();
        int collapsed = s.collapsedAtEpoch();
        boolean collapses = learnedBefore && top1Error >= atChanceFrom() && collapsed == 0
                && learnedBelow() < atChanceFrom();  // with very few test images the two bands overlap: no verdict
        if (collapses) {
            collapsed = epoch;
        }
        state = new State(s.nonFiniteSteps(), first, s.maxLossRatio(), s.maxLossEpoch(), best, bestEpoch, top1Error,
                collapsed, s.divergence());
        if (collapses) {
            diverged("collapsed_to_chance", String.format(Locale.ROOT, "training collapsed: test error %.2f%% after"
                    + " epoch %d is at chance (%.2f%% or more for %d classes on %d test images), after %.2f%% at epoch"
                    + " %d; lower the learning rate or the loss weights", top1Error, epoch, atChanceFrom(), classes,
                    testImages, s.bestError(), s.bestEpoch()), epoch);
        }
    }

    /** The snapshot for the run record. */
    TrainingHealth health() {
        State s = state;
        return new TrainingHealth(s.nonFiniteSteps(), s.firstEpochLoss(), s.maxLossRatio(), s.maxLossEpoch(), classes,
                testImages, TrainingHealth.chanceError(classes), atChanceFrom(), learnedBelow(), s.bestError(),
                s.bestEpoch(), s.finalError(), s.bestEpoch() > 0 && s.finalError() >= atChanceFrom(),
                s.collapsedAtEpoch(), allowDivergence, s.divergence(), limits);
    }

    private double atChanceFrom() {
        return TrainingHealth.atChanceFrom(classes, testImages, limits.chanceSigmas());
    }

    private double learnedBelow() {
        return limits.learnedFraction() * TrainingHealth.chanceError(classes);
    }

    private State with(int nonFinite, double ratio, int ratioEpoch) {
        State s = state;
        return new State(nonFinite, s.firstEpochLoss(), ratio, ratioEpoch, s.bestError(), s.bestEpoch(),
                s.finalError(), s.collapsedAtEpoch(), s.divergence());
    }

    private void diverged(String kind, String message, int epoch) {
        if (!allowDivergence) {
            throw new TrainingDivergedException(message, kind, epoch);
        }
        State s = state;
        if (s.divergence().isEmpty()) {
            state = new State(s.nonFiniteSteps(), s.firstEpochLoss(), s.maxLossRatio(), s.maxLossEpoch(),
                    s.bestError(), s.bestEpoch(), s.finalError(), s.collapsedAtEpoch(), kind + ": " + message);
        }
    }
}
