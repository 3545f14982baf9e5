package cambench.baselines.loss;

import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveProvider;
import cambench.api.StepOutputs;

import java.util.List;

/** Plain softmax cross-entropy {@code CE(s, y)} (docs/losses.md#ce); the baseline of every table. */
public final class CeLoss implements Objective {

    @Override
    public LossTerms terms(StepOutputs out) {
        return LossTerms.of("ce", CrossEntropy.of(out.logits(), out.oneHot()));
    }

    /** The mixed form under a label-mixing regularizer: the lambda-weighted sum over the two targets. */
    @Override
    public LossTerms mixedTerms(StepOutputs out) {
        return cambench.api.LabelMix.weightedSum(this, out);
    }

    /** Registers {@code ce}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("ce", Kind.LOSS, "softmax cross-entropy", List.of(), context -> new CeLoss());
        }
    }
}
