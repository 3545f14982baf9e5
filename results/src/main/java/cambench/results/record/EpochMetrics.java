package cambench.results.record;

import java.util.Map;

/**
 * What one epoch produced.
 *
 * @param epoch 1-based epoch number
 * @param lr learning rate used
 * @param trainLoss mean total training loss
 * @param terms mean of every loss term, by name
 * @param trainAccuracy training accuracy (fraction, on augmented batches)
 * @param testTop1Error test top-1 error in %
 * @param testTop5Error test top-5 error in %
 * @param seconds wall time of the epoch (training + evaluation)
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, Map<String, Double> terms,
        double trainAccuracy, double testTop1Error, double testTop5Error, double seconds) {
}
