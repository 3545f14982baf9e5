package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/**
 * The classifier on top of the pooled features: pooled [N, C] to logits [N, K].
 *
 * <p>{@link #camWeight()} is the [K, C] matrix whose rows build the class activation maps
 * {@code CAM_k = sum_c W[k, c] f[c]}; for a plain linear head it is the weight itself.
 */
public interface ClassifierHead {

    /** Logits [N, K] from pooled features [N, C]. */
    NDArray logits(NDArray pooled);

    /** The [K, C] weight used for CAMs (part of the autograd graph of the step). */
    NDArray camWeight();

    /** The bias [K] added to the logits, or null. */
    NDArray bias();
}
