package cambench.baselines.reg;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import cambench.api.ParamSpec;
import cambench.api.Progress;
import cambench.api.Regularizer;
import cambench.api.RegularizerProvider;
import cambench.api.ResidualGate;

import java.util.List;
import java.util.Optional;

/**
 * Stochastic depth (Huang et al., ECCV 2016): unit l of L (1-based) skips its residual branch for
 * the whole batch with probability {@code p_last * l / L} (linear decay of the survival
 * probability); evaluation scales the branch by its survival probability.
 */
public final class StochasticDepth implements Regularizer, ResidualGate {
    private final double lastDrop;

    /** Creates it; {@code lastDrop} in [0, 1]. */
    public StochasticDepth(double lastDrop) {
        this.lastDrop = lastDrop;
    }

    @Override
    public Optional<ResidualGate> residualGate() {
        return Optional.of(this);
    }

    @Override
    public NDArray apply(NDArray branch, int unit, int units, boolean training, Progress progress) {
        double p = Sampling.linearDrop(lastDrop, unit, units);
        if (!training) {
            return Scalars.times(branch, (float) (1 - p));
        }
        boolean keep = branch.getManager().randomUniform(0f, 1f, new Shape(1)).getFloat() < 1 - p;
        return keep ? branch : branch.zerosLike();
    }

    /** Registers {@code stochdepth}. */
    public static final class Provider extends RegularizerProvider {
        /** Called by the service loader. */
        public Provider() {
            super("stochdepth", Kind.NETWORK, "stochastic depth: skip residual branches, linear decay of survival",
                    List.of(ParamSpec.of("p_last", 0.5, "skip probability of the deepest unit, in [0, 1]")),
                    p -> new StochasticDepth(p.probability("p_last")));
        }
    }
}
