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

    /**
     * Where to mix hidden states in this training step (label-mixing regularizers that act inside
     * the network, such as Manifold Mixup); the default mixes none. The trainer mixes the network's
     * state at the stage boundary the result names, {@code h = lambda h + (1 - lambda) h[partners]},
     * and hands the objective the partners' labels with the same lambda ({@link LabelMix}).
     *
     * @param stages number of stages of the network's backbone (boundaries 0..stages)
     * @param batchSize images in the batch
     * @param step the step's generator and progress (after {@link #onBatch} drew from it)
     */
    default Optional<HiddenMix> hiddenMix(int stages, int batchSize, RegularizerStep step) {
        return Optional.empty();
    }

    /** The gate on residual branches (network-level regularizers); the default has none. */
    default Optional<ResidualGate> residualGate() {
        return Optional.empty();
    }
}
