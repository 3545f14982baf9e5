package cambench.api;

import java.util.List;

/**
 * Where training is, for schedules inside objectives.
 *
 * @param epoch current epoch, 0-based
 * @param iteration optimizer step, counted from 1 over the whole run
 * @param epochs total epochs of the run
 * @param trainAccuracies training accuracy (fraction) of every completed epoch, in order
 */
public record Progress(int epoch, long iteration, int epochs, List<Double> trainAccuracies) {

    /** A point long after any warm-up: every schedule is at its final, switched-on value. */
    public static Progress steadyState() {
        return new Progress(Integer.MAX_VALUE / 2, Long.MAX_VALUE / 2, Integer.MAX_VALUE, List.of(1.0));
    }

    /** Whether this is {@link #steadyState()} (e.g. in {@code loss-check}), not a real training step. */
    public boolean isSteadyState() {
        return equals(steadyState());
    }

    /** Copies the accuracy list. */
    public Progress {
        trainAccuracies = List.copyOf(trainAccuracies);
    }
}
