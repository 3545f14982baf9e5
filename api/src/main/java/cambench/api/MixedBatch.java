package cambench.api;

import ai.djl.ndarray.NDArray;

import java.util.Optional;

/**
 * A training batch after a batch-level regularizer.
 *
 * @param images the (changed) images [N, C, H, W]
 * @param mix the partner labels and lambda when the labels are mixed too, else empty
 */
public record MixedBatch(NDArray images, Optional<LabelMix> mix) {
    /** Images changed, labels as they were (e.g. Cutout). */
    public static MixedBatch imagesOnly(NDArray images) {
        return new MixedBatch(images, Optional.empty());
    }
}
