package example.focal;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.StepOutputs;

import java.util.List;

/**
 * Focal loss (Lin et al., ICCV 2017): {@code mean_n -(1 - p_y)^gamma log p_y}; gamma = 0 is CE.
 * A complete cambench plugin: the term, the objective and its provider, nothing else.
 */
public final class FocalLoss implements Objective {
    private final float gamma;

    FocalLoss(float gamma) {
        this.gamma = gamma;
    }

    /** The focal term on logits [N, K] and one-hot labels [N, K]. */
    static NDArray focal(NDArray logits, NDArray oneHot, float gamma) {
        NDArray logPy = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1});
        NDArray weight = Scalars.power(logPy.exp().neg().add(1f), gamma);
        return weight.mul(logPy).mean().neg();
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        return LossTerms.of("focal", focal(out.logits(), out.oneHot(), gamma));
    }

    /** Registers {@code focal}: named on the one line of META-INF/services/cambench.api.ObjectiveProvider. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("focal", Kind.LOSS, "focal loss: -(1 - p_y)^gamma log p_y (example plugin)",
                    List.of(ParamSpec.of("gamma", 2.0, "focusing parameter (>= 0)")),
                    context -> new FocalLoss((float) context.params().atLeast("gamma", 0)));
        }
    }
}
