package cambench.api;

import ai.djl.ndarray.NDArray;

/**
 * The second label set of a label-mixing regularizer (CutMix, Mixup): each training image is
 * {@code lambda} of its own image and {@code 1 - lambda} of a partner's, so its target is
 * {@code lambda y_a + (1 - lambda) y_b}.
 *
 * @param partnerLabels labels y_b [N], int64, of the images mixed in
 * @param lambda weight of the original labels y_a, in [0, 1] (one value for the whole batch)
 */
public record LabelMix(NDArray partnerLabels, double lambda) {
    /** Checks lambda. */
    public LabelMix {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
        }
    }

    /**
     * The mixed form every objective that is a sum over samples of a function of the target can
     * use: {@code lambda * terms(out with y_a) + (1 - lambda) * terms(out with y_b)}, term by term
     * (docs/regularizers.md). CE and CAM-loss define their mixed form this way.
     *
     * @param objective the objective; its {@link Objective#terms} is called twice, without the mix
     * @param out the step's outputs, {@link StepOutputs#mix()} present
     */
    public static LossTerms weightedSum(Objective objective, StepOutputs out) {
        LabelMix mix = out.mix().orElseThrow(() -> new IllegalArgumentException("the step has no label mix"));
        LossTerms a = objective.terms(out.withLabels(out.labels()));
        LossTerms b = objective.terms(out.withLabels(mix.partnerLabels()));
        java.util.Map<String, NDArray> bm = b.asMap();
        LossTerms sum = null;
        java.util.Set<String> names = new java.util.LinkedHashSet<>(a.asMap().keySet());
        names.addAll(bm.keySet());
        for (String name : names) {
            NDArray va = a.asMap().get(name);
            NDArray vb = bm.get(name);
            NDArray v = va == null ? Scalars.times(vb, (float) (1 - mix.lambda()))
                    : vb == null ? Scalars.times(va, (float) mix.lambda())
                    : Scalars.times(va, (float) mix.lambda()).add(Scalars.times(vb, (float) (1 - mix.lambda())));
            sum = sum == null ? LossTerms.of(name, v) : sum.add(name, v);
        }
        return sum;
    }
}
