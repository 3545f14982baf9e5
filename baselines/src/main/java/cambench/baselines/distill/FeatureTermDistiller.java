package cambench.baselines.distill;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.Params;
import cambench.api.StepOutputs;
import cambench.api.TeacherOutputs;

import java.util.List;

/**
 * The form AT and CCM share (docs/losses.md#distillers):
 * {@code beta CE(s, y) + (1 - beta) KL_T(t, s) + gamma * term(student, teacher)}, logged as
 * {@code ce}, {@code kd} and the term's own name; the term is skipped when gamma is 0.
 */
abstract class FeatureTermDistiller implements Objective {
    private final String termName;
    private final double temperature;
    private final double beta;
    private final double gamma;

    /**
     * @param termName name of the feature term in the logged loss terms
     * @param temperature T > 0
     * @param beta weight of CE (KL gets 1 - beta)
     * @param gamma weight of the feature term (>= 0)
     */
    FeatureTermDistiller(String termName, double temperature, double beta, double gamma) {
        if (!(temperature > 0) || gamma < 0) {
            throw new IllegalArgumentException("need T > 0 and gamma >= 0, got " + temperature + ", " + gamma);
        }
        this.termName = termName;
        this.temperature = temperature;
        this.beta = beta;
        this.gamma = gamma;
    }

    /** The unweighted feature term of this step, a scalar. */
    abstract NDArray featureTerm(StepOutputs out, TeacherOutputs teacher);

    @Override
    public final LossTerms terms(StepOutputs out) {
        TeacherOutputs teacher = Distill.teacher(out);
        LossTerms terms = Distill.ceAndKl(out, teacher, beta, 1 - beta, temperature);
        if (gamma > 0) {
            terms.add(termName, Scalars.times(featureTerm(out, teacher), (float) gamma));
        }
        return terms;
    }

    /** The parameters T (4), beta (0.5) and gamma (given default), for a provider. */
    static List<ParamSpec> parameters(double gammaDefault, String termDescription) {
        return List.of(
                ParamSpec.of("T", 4.0, "softmax temperature of the KL term (> 0)"),
                ParamSpec.of("beta", 0.5, "weight of CE; the KL term gets 1 - beta"),
                ParamSpec.of("gamma", gammaDefault, "weight of the " + termDescription + " (>= 0)"));
    }

    /** A provider factory that reads T, beta and gamma and passes them to {@code constructor}. */
    static ObjectiveProvider.Factory factory(Constructor constructor) {
        return context -> {
            Params p = context.params();
            return constructor.create(Distill.temperature(p), p.number("beta"), p.atLeast("gamma", 0));
        };
    }

    /** A subclass constructor {@code (T, beta, gamma)}. */
    @FunctionalInterface
    interface Constructor {
        FeatureTermDistiller create(double temperature, double beta, double gamma);
    }
}
