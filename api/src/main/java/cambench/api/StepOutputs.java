package cambench.api;

import ai.djl.ndarray.NDArray;

import java.util.List;
import java.util.Optional;

/**
 * What one training step hands to an objective (docs/losses.md, notation).
 *
 * @param features last post-activation feature map f [N, C, H, W]
 * @param pooled global average pool z [N, C]
 * @param logits s = z W^T + b [N, K]
 * @param weight classifier W [K, C] (in the autograd graph; use {@code stopGradient()} for sg(W))
 * @param bias classifier b [K], or null for bias-free heads
 * @param labels y [N], int64
 * @param stages stage outputs of the backbone, shallow to deep
 * @param progress where training is (epoch, iteration, past training accuracies)
 * @param teacher the teacher's outputs for distillers, else empty
 */
public record StepOutputs(
        NDArray features,
        NDArray pooled,
        NDArray logits,
        NDArray weight,
        NDArray bias,
        NDArray labels,
        List<NDArray> stages,
        Progress progress,
        Optional<TeacherOutputs> teacher) {

    /** Number of classes K. */
    public int classes() {
        return Math.toIntExact(logits.getShape().get(1));
    }

    /** The labels one-hot [N, K], float32. */
    public NDArray oneHot() {
        return labels.oneHot(classes());
    }
}
