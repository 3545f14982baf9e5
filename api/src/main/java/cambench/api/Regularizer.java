package cambench.api;

import ai.djl.ndarray.NDArray;

import java.util.Optional;

/**
 * A regularizer that composes with any objective: a batch-level one changes the training images
 * (and may mix the labels, see {@link LabelMix}); a network-level one gates the residual branches.
 * Its {@link RegularizerProvider} states its name, kind and parameters. Evaluation never sees a
 * batch-level regularizer; a network-level gate is asked for its expectation there.
 */
public interface Regularizer {

    /**
     * Changes one training batch (batch-level regularizers); the default leaves it as it is.
     *
     * @param images normalised training images [N, C, H, W], float32
     * @param labels labels [N], int64
     * @param step the step's generator and progress
     */
    default MixedBatch onBatch(NDArray images, NDArray labels, RegularizerStep step) {
        return MixedBatch.imagesOnly(images);
    }

    /** The gate on residual branches (network-level regularizers); the default has none. */
    default Optional<ResidualGate> residualGate() {
        return Optional.empty();
    }
}
