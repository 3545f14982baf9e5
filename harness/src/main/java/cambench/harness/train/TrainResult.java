package cambench.harness.train;

import cambench.results.record.EpochMetrics;
import cambench.results.record.TrainingHealth;

import java.util.List;

/**
 * What a finished training run produced.
 *
 * @param epochs per-epoch metrics, all epochs (restored ones included)
 * @param top1Error final test top-1 error in %
 * @param top5Error final test top-5 error in %
 * @param seconds wall time of all epochs, restored ones included
 * @param resumedFromEpoch 0, or the epoch the run resumed after
 * @param health how the training went (non-finite steps, largest loss ratio, chance)
 */
public record TrainResult(List<EpochMetrics> epochs, double top1Error, double top5Error, double seconds,
        int resumedFromEpoch, TrainingHealth health) {
}
