package cambench.harness.train;

import cambench.results.record.EpochMetrics;

import java.util.List;

/**
 * The progress text stored in a checkpoint.
 *
 * @param epochsDone completed epochs
 * @param iteration optimizer steps done
 * @param history metrics of the completed epochs
 * @param seconds wall time spent so far
 */
record TrainerState(int epochsDone, long iteration, List<EpochMetrics> history, double seconds) {
}
