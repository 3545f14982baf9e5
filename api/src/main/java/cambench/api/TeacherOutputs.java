package cambench.api;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * A fixed teacher's outputs for the same batch; constants (no gradient flows into them).
 *
 * @param features teacher feature map f_t [N, Ct, Ht, Wt]
 * @param logits teacher logits t [N, K]
 * @param weight teacher classifier W_t [K, Ct]
 * @param bias teacher bias b_t [K], or null
 * @param stages teacher stage outputs, shallow to deep
 */
public record TeacherOutputs(NDArray features, NDArray logits, NDArray weight, NDArray bias, List<NDArray> stages) {
}
