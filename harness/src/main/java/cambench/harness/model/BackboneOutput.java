package cambench.harness.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * What a backbone returns.
 *
 * @param stages the output of every stage, shallow to deep (AT matches stage pairs of equal size)
 * @param features the last post-activation feature map [N, C, h, w]
 */
public record BackboneOutput(List<NDArray> stages, NDArray features) {
    /** Checks that there is a feature map. */
    public BackboneOutput {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        stages = List.copyOf(stages);
    }
}
