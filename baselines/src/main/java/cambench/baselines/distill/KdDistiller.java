package cambench.baselines.distill;

import ai.djl.ndarray.NDArray;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.StepOutputs;

import java.util.List;

/**
 * Knowledge distillation (Hinton et al. 2015; docs/losses.md#distillers):
 * {@code (1 - r) CE(s, y) + r KL_T(t, s)}, KL_T scaled by T^2, teacher logits constant.
 */
public final class KdDistiller implements Objective {
    private final double temperature;
    private final double ratio;

    /**
     * Creates the distiller.
     *
     * @param temperature T > 0
     * @param ratio weight r of the KL term (CE gets 1 - r)
     */
    public KdDistiller(double temperature, double ratio) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("T must be > 0, got " + temperature);
        }
        this.temperature = temperature;
        this.ratio = ratio;
    }

    /**
     * The KL term {@code KL_T(t, s)}.
     *
     * @param teacherLogits t [N, K] (treated as constant)
     * @param logits s [N, K]
     * @param temperature T > 0
     * @return scalar
     */
    public static NDArray klTerm(NDArray teacherLogits, NDArray logits, double temperature) {
        return CrossEntropy.kl(teacherLogits, logits, temperature);
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        return Distill.ceAndKl(out, Distill.teacher(out), 1 - ratio, ratio, temperature);
    }

    /** Registers {@code kd}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("kd", Kind.DISTILLER, "KD: (1 - r) * CE + r * T^2 * KL(softmax(t/T) || softmax(s/T))",
                    List.of(ParamSpec.of("T", 4.0, "softmax temperature (> 0)"),
                            ParamSpec.of("r", 0.5, "weight of the KL term; CE gets 1 - r")),
                    context -> new KdDistiller(Distill.temperature(context.params()), context.params().number("r")));
        }
    }
}
