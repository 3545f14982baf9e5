package cambench.harness.model;

import ai.djl.ndarray.NDArray;

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
    BackboneOutput forward(NDArray x, boolean training);
}
