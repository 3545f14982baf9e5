package cambench.baselines.reg;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.api.ParamSpec;
import cambench.api.Progress;
import cambench.api.Regularizer;
import cambench.api.RegularizerProvider;
import cambench.api.ResidualGate;

import java.util.List;
import java.util.Optional;

/**
 * ShakeDrop (Yamada et al., 2019) on residual branches: unit l of L (1-based) drops with
 * probability {@code p_l = p_last * l / L}, linearly up to {@code p_last} = 0.5 as in the original.
 * Training: a gate {@code b ~ Bernoulli(1 - p_l)} per batch, {@code alpha ~ U[-1, 1]} and
 * {@code beta ~ U[0, 1]} per sample; the forward pass scales the branch by {@code b + alpha - b alpha},
 * the backward pass by {@code b + beta - b beta}. Evaluation scales by the expectation {@code 1 - p_l}.
 */
public final class ShakeDrop implements Regularizer, ResidualGate {
    private final double lastDrop;

    /** Creates it; {@code lastDrop} in [0, 1]. */
    public ShakeDrop(double lastDrop) {
        this.lastDrop = lastDrop;
    }

    /** The drop probability of 0-based unit {@code unit} of {@code units}. */
    public double dropProbability(int unit, int units) {
        return Sampling.linearDrop(lastDrop, unit, units);
    }

    @Override
    public Optional<ResidualGate> residualGate() {
        return Optional.of(this);
    }

    @Override
    public NDArray apply(NDArray branch, int unit, int units, boolean training, Progress progress) {
        double p = dropProbability(unit, units);
        if (!training) {
            return Scalars.times(branch, (float) (1 - p));
        }
        NDManager m = branch.getManager();
        long n = branch.getShape().get(0);
        float gate = m.randomUniform(0f, 1f, new Shape(1)).getFloat() < 1 - p ? 1f : 0f;
        if (gate == 1f) {
            return branch;
        }
        Shape perSample = new Shape(n, 1, 1, 1);
        NDArray alpha = m.randomUniform(-1f, 1f, perSample);
        NDArray beta = m.randomUniform(0f, 1f, perSample);
        // forward branch * alpha, gradient branch * beta
        return branch.mul(beta).add(branch.mul(alpha.sub(beta)).stopGradient());
    }

    /** Registers {@code shakedrop}. */
    public static final class Provider extends RegularizerProvider {
        /** Called by the service loader. */
        public Provider() {
            super("shakedrop", Kind.NETWORK, "ShakeDrop on residual branches, drop probability rising linearly",
                    List.of(ParamSpec.of("p_last", 0.5, "drop probability of the deepest unit, in [0, 1]")),
                    p -> new ShakeDrop(p.probability("p_last")));
        }
    }
}
