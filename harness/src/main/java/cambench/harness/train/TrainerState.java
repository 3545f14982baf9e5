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
 * @param health the health monitor's state; null in checkpoints written before it existed
 */
record TrainerState(int epochsDone, long iteration, List<EpochMetrics> history, double seconds,
        HealthMonitor.State health) {
}
