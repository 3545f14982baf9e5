package cambench.baselines.loss;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.StepOutputs;

import java.util.List;

/**
 * Soft-margin softmax (Liang et al., 2017; docs/losses.md#smsoftmax): {@code CE(s', y)} with
 * {@code s'_y = s_y - m} for the target class, all other logits unchanged (bias included).
 */
public final class SmSoftmaxLoss implements Objective {
    private final double margin;

    /**
     * Creates the loss.
     *
     * @param margin additive margin m (>= 0; 0 is plain CE)
     */
    public SmSoftmaxLoss(double margin) {
        if (margin < 0) {
            throw new IllegalArgumentException("m must be >= 0, got " + margin);
        }
        this.margin = margin;
    }

    /**
     * The margin logits {@code s' = s - m * onehot(y)}.
     *
     * @param logits s [N, K]
     * @param oneHot labels [N, K]
     * @param margin m
     * @return [N, K]
     */
    public static NDArray marginLogits(NDArray logits, NDArray oneHot, double margin) {
        return logits.sub(Scalars.times(oneHot, (float) margin));
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        NDArray oneHot = out.oneHot();
        return LossTerms.of("smsoftmax", CrossEntropy.of(marginLogits(out.logits(), oneHot, margin), oneHot));
    }

    /** The mixed form under a label-mixing regularizer: the lambda-weighted sum over the two targets. */
    @Override
    public LossTerms mixedTerms(StepOutputs out) {
        return cambench.api.LabelMix.weightedSum(this, out);
    }

    /** Registers {@code smsoftmax}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("smsoftmax", Kind.LOSS, "soft-margin softmax: CE with the target logit lowered by m",
                    List.of(ParamSpec.of("m", 0.3, "additive margin subtracted from the target logit")),
                    context -> new SmSoftmaxLoss(context.params().atLeast("m", 0)));
        }
    }
}
