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
 * @param stepsDigest a 64-bit digest (16 hex digits) of every training step's exact loss and loss
 *     terms in this epoch, in order; two runs that agree here took bit-identical steps ("" in records
 *     written before it existed)
 * @param parametersDigest the first 16 hex digits of the SHA-256 of every parameter, buffer and
 *     optimizer state value after the epoch, in the network's order ("" in older records)
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, Map<String, Double> terms,
        double trainAccuracy, double testTop1Error, double testTop5Error, double seconds, String stepsDigest,
        String parametersDigest) {

    /** Treats absent digests (older records) as "". */
    public EpochMetrics {
        stepsDigest = stepsDigest == null ? "" : stepsDigest;
        parametersDigest = parametersDigest == null ? "" : parametersDigest;
    }

    /** An epoch without digests (epochs not trained by the trainer, tests). */
    public EpochMetrics(int epoch, double lr, double trainLoss, Map<String, Double> terms, double trainAccuracy,
            double testTop1Error, double testTop5Error, double seconds) {
        this(epoch, lr, trainLoss, terms, trainAccuracy, testTop1Error, testTop5Error, seconds, "", "");
    }
}
