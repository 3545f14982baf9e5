package cambench.api;

import ai.djl.ndarray.NDArray;

/** Softmax cross-entropy and temperature KL for objectives (docs/losses.md, notation). */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    /**
     * {@code CE(s, y) = mean_n -log softmax(s_n)[y_n]}.
     *
     * @param logits [N, K]
     * @param oneHot [N, K] float one-hot labels
     * @return scalar
     */
    public static NDArray of(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
    }

    /**
     * {@code KL_T(t, s) = T^2 mean_n sum_k p_t (log p_t - log p_s)}, {@code p = softmax(. / T)};
     * the teacher logits are treated as constants.
     *
     * @param teacher teacher logits [N, K]
     * @param student student logits [N, K]
     * @param temperature T > 0
     * @return scalar
     */
    public static NDArray kl(NDArray teacher, NDArray student, double temperature) {
        NDArray logPt = Scalars.over(teacher.stopGradient(), (float) temperature).logSoftmax(1);
        NDArray logPs = Scalars.over(student, (float) temperature).logSoftmax(1);
        return Scalars.times(logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {1}).mean(),
                (float) (temperature * temperature));
    }
}
