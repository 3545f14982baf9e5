package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

/**
 * A convolutional feature extractor: images [N, Cin, H, W] to its stage outputs and its last
 * feature map.
 *
 * <p>The last feature map is taken after the final activation (pre-activation nets such as WRN
 * and PyramidNet: after their final BN + ReLU), so CAM and CAAM can be formed from it without
 * anything model-specific (docs/losses.md, notation).
 */
public interface Backbone {

    /** Channels C of the last feature map. */
    int featureChannels();

    /**
     * Runs the backbone.
     *
     * @param x images [N, Cin, H, W]
     * @param training training mode (BatchNorm batch statistics, dropout on)
     * @return stage outputs and the last feature map [N, C, h, w]
     */
    default BackboneOutput forward(NDArray x, boolean training) {
        return forward(x, training, StageMix.NONE);
    }

    /** Number of stages (stage boundaries are 0, the input, to this). */
    int stageCount();

    /**
     * Runs the backbone, letting {@code mix} change the state at every stage boundary.
     *
     * @param x images [N, Cin, H, W]
     * @param training training mode
     * @param mix applied to the input (boundary 0) and to each stage's output (boundary s, 1-based)
     *     before it flows on; the stage outputs returned are the mixed ones
     */
    BackboneOutput forward(NDArray x, boolean training, StageMix mix);

    /**
     * This backbone prepared for the oneDNN evaluation path with its current weights, when it has
     * one ({@link Inference} falls back to the eager pass otherwise). Empty by default.
     *
     * @param kernel the oneDNN ops
     * @param manager where the folded, prepacked weights go (closing it frees them)
     */
    default Optional<InferencePlan> inferencePlan(OneDnnKernel kernel, NDManager manager) {
        return Optional.empty();
    }

    /** A change of the state at a stage boundary (Manifold Mixup). */
    @FunctionalInterface
    interface StageMix {
        /** Leaves every state as it is. */
        StageMix NONE = (boundary, h) -> h;

        /**
         * The state that flows on from boundary {@code boundary}.
         *
         * @param boundary 0 for the input, s for the output of stage s
         * @param h the state there
         */
        NDArray apply(int boundary, NDArray h);
    }
}
