package cambench.results.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a run's training went, beside its numbers (docs/trust.md): non-finite steps, the largest
 * step loss relative to the first epoch's, and where the test error stood against chance. A run
 * whose training blows up fails instead of getting a record, unless its table row allows
 * divergence ({@code allow_divergence}); then the record keeps the event in {@link #divergence}.
 *
 * <p>Chance: with K classes and n test images a classifier that guesses has an expected top-1
 * error of {@code 100 (1 - 1/K)} % and a binomial standard deviation of
 * {@code 100 sqrt((1/K)(1 - 1/K)/n)} points; an epoch is at chance when its error is at least the
 * expected error minus {@link Limits#chanceSigmas} of those. A run has learned once some epoch's
 * error is at most {@link Limits#learnedFraction} times the chance error.
 *
 * @param nonFiniteSteps steps whose loss was NaN or infinite (their update was skipped; more than
 *     0 only where divergence is allowed: elsewhere the first one fails the cell)
 * @param firstEpochLoss the mean training loss of epoch 1, the reference of {@link #maxLossRatio}
 * @param maxLossRatio the largest finite step loss divided by {@code max(reference, minReference)};
 *     the reference is the first epoch's mean, or during epoch 1 the mean of its earlier steps
 * @param maxLossEpoch the epoch (1-based) of that step; 0 when no step had a reference
 * @param classes K
 * @param testImages n, the images of each evaluation
 * @param chanceError {@code 100 (1 - 1/K)}, in %
 * @param atChanceFrom the error (%) from which an epoch counts as at chance
 * @param learnedBelow the error (%) at or below which the run counts as having learned
 * @param bestError the lowest test error of any epoch (%)
 * @param bestEpoch its epoch (1-based)
 * @param finalError the last epoch's test error (%)
 * @param finalAtChance whether the last epoch is at chance
 * @param collapsedAtEpoch the first epoch at chance after the run had learned; 0 when none
 * @param allowDivergence whether the cell's table row declared divergence a possible outcome
 * @param divergence the first blow-up of an allowed run, {@code KIND: message} (kinds
 *     {@code diverged} for a non-finite loss, {@code loss_blow_up}, {@code collapsed_to_chance}); "" when none
 * @param limits the thresholds the run was judged by
 */
public record TrainingHealth(int nonFiniteSteps, double firstEpochLoss, double maxLossRatio, int maxLossEpoch,
        int classes, int testImages, double chanceError, double atChanceFrom, double learnedBelow, double bestError,
        int bestEpoch, double finalError, boolean finalAtChance, int collapsedAtEpoch, boolean allowDivergence,
        String divergence, Limits limits) {

    /** A flagged record that blew up in a table that allows it. */
    public static final String DIVERGED = "diverged";
    /** A flagged record whose last epoch is at chance (for example one that never learned). */
    public static final String AT_CHANCE = "at_chance";

    /** Treats an absent divergence as none. */
    public TrainingHealth {
        divergence = divergence == null ? "" : divergence;
    }

    /**
     * The thresholds of a training's health.
     *
     * @param lossRatio a step loss above this times {@code max(reference, minReference)} is a blow-up
     * @param minReference the smallest reference loss a ratio is taken against (so that an
     *     objective whose loss starts near 0 is not called exploded by ordinary values)
     * @param chanceSigmas binomial standard deviations below the chance error that still count as chance
     * @param learnedFraction a run has learned once an epoch's error is at most this times the chance error
     */
    public record Limits(double lossRatio, double minReference, double chanceSigmas, double learnedFraction) {
        /** The limits every run is judged by: 1e3 x, floor 1, 3 sigma, half the chance error. */
        public static final Limits DEFAULT = new Limits(1e3, 1.0, 3.0, 0.5);
    }

    /** {@code 100 (1 - 1/K)}: the expected top-1 error (%) of guessing among K classes. */
    public static double chanceError(int classes) {
        return 100.0 * (1 - 1.0 / classes);
    }

    /**
     * The error (%) from which an evaluation of {@code testImages} images counts as at chance:
     * the chance error minus {@code sigmas} binomial standard deviations of the error of guessing.
     */
    public static double atChanceFrom(int classes, int testImages, double sigmas) {
        double p = 1.0 / classes;
        return chanceError(classes) - sigmas * 100.0 * Math.sqrt(p * (1 - p) / Math.max(testImages, 1));
    }

    /** What flags the record: {@link #DIVERGED}, {@link #AT_CHANCE}, both or none. */
    public List<String> flags() {
        List<String> flags = new ArrayList<>();
        if (!divergence.isEmpty()) {
            flags.add(DIVERGED);
        }
        if (finalAtChance) {
            flags.add(AT_CHANCE);
        }
        return flags;
    }

    /** One line on what flags the record, or "" when nothing does. */
    public String flagReason() {
        List<String> parts = new ArrayList<>();
        if (!divergence.isEmpty()) {
            parts.add("diverged (the table allows it): " + divergence);
        }
        if (finalAtChance) {
            parts.add(String.format(Locale.ROOT, "last epoch at chance (test error %.2f%% >= %.2f%% for %d classes"
                    + " on %d images; best %.2f%% at epoch %d, %s)", finalError, atChanceFrom, classes, testImages,
                    bestError, bestEpoch, bestError <= learnedBelow ? "it had learned" : "it never learned"));
        }
        return String.join("; ", parts);
    }
}
