package cambench.baselines.loss;

import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveContext;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.StepOutputs;

import java.util.List;

/** Plain softmax cross-entropy {@code CE(s, y)} (docs/losses.md#ce); the baseline of every table. */
public final class CeLoss implements Objective {

    @Override
    public String name() {
        return "ce";
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        return LossTerms.of("ce", CrossEntropy.of(out.logits(), out.oneHot()));
    }

    /** Registers {@code ce}. */
    public static final class Provider implements ObjectiveProvider {
        @Override
        public String name() {
            return "ce";
        }

        @Override
        public String description() {
            return "softmax cross-entropy";
        }

        @Override
        public List<ParamSpec> parameters() {
            return List.of();
        }

        @Override
        public Objective create(ObjectiveContext context) {
            return new CeLoss();
        }
    }
}
