package cambench.harness.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * One forward pass of a {@link Network}.
 *
 * @param stages stage outputs, shallow to deep
 * @param features last post-activation feature map f [N, C, H, W]
 * @param pooled global average pool z [N, C]
 * @param logits s [N, K]
 */
public record NetworkOutput(List<NDArray> stages, NDArray features, NDArray pooled, NDArray logits) {
}
