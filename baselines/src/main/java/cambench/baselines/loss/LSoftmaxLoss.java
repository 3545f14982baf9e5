package cambench.baselines.loss;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveContext;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.Params;
import cambench.api.StepOutputs;

import java.util.List;

/**
 * Large-margin softmax (Liu et al., ICML 2016, arXiv:1612.02295; docs/losses.md#lsoftmax):
 * {@code CE(s', y)} with bias-free logits {@code s'_j = W_j . z_n} for j != y and, for the target,
 * {@code s'_y = (lambda ||W_y|| ||z_n|| cos t + ||W_y|| ||z_n|| psi(t)) / (1 + lambda)},
 * {@code psi(t) = (-1)^k cos(m t) - 2k}, {@code k = floor(t m / pi)} (no gradient),
 * {@code cos(m t)} the Chebyshev polynomial T_m of {@code cos t}. The bias is not used, so its
 * gradient is 0.
 *
 * <p>lambda: when the parameter {@code lambda} is a number it is fixed ({@code loss-check} always
 * gives one). When it is {@code anneal} (the default) it follows the original's schedule
 * {@code lambda = max(lambda_min, base * (1 + gamma * iteration)^(-power))} with the 1-based
 * optimizer step {@link cambench.api.Progress#iteration()} (defaults base 1000,
 * gamma 1e-5, power 45, lambda_min 0, the original's CIFAR-10 setting).
 *
 * <p>Edge cases: k is found by comparing cos t with the thresholds {@code cos(j pi / m)}, j = 1..m
 * (no acos; t = pi gives k = m; psi and its derivative are continuous at the thresholds, so the
 * side chosen at an exact threshold does not matter). cos t is not clamped. A zero feature vector
 * or zero target row ({@code ||W_y|| ||z_n|| = 0}) gives {@code s'_y = 0}, and the norms pass no
 * gradient there (docs/losses.md: the gradient of ||x|| at 0 is 0), leaving {@code lambda W_y / (1 + lambda)}.
 */
public final class LSoftmaxLoss implements Objective {
    private final int margin;
    private final LambdaSchedule lambda;

    /**
     * Creates the loss.
     *
     * @param margin integer margin m >= 1 (1 is plain bias-free softmax)
     * @param lambda fixed or annealed lambda
     */
    public LSoftmaxLoss(int margin, LambdaSchedule lambda) {
        if (margin < 1) {
            throw new IllegalArgumentException("m must be >= 1, got " + margin);
        }
        this.margin = margin;
        this.lambda = lambda;
    }

    /**
     * The L-Softmax logits s' (bias-free).
     *
     * @param z pooled features [N, C]
     * @param weight classifier W [K, C]
     * @param oneHot labels [N, K]
     * @param m integer margin >= 1
     * @param lambda blend weight >= 0
     * @return [N, K]
     */
    public static NDArray marginLogits(NDArray z, NDArray weight, NDArray oneHot, int m, double lambda) {
        NDArray plain = z.matMul(weight.transpose());
        NDArray wy = oneHot.matMul(weight);
        NDArray dot = wy.mul(z).sum(new int[] {1});
        NDArray scale = norm(wy).mul(norm(z));
        NDArray positive = scale.gt(0f);
        NDArray cos = dot.div(NDArrays.where(positive, scale, scale.onesLike()));
        NDArray k = quadrant(cos.stopGradient(), m);
        NDArray sign = Scalars.times(k.mod(Scalars.of(k, 2f)), -2f).add(1f);
        NDArray psi = sign.mul(chebyshev(cos, m)).sub(Scalars.times(k, 2f));
        NDArray target = Scalars.over(Scalars.times(dot, (float) lambda).add(scale.mul(psi)), (float) (1 + lambda));
        NDArray notTarget = Scalars.times(oneHot, -1f).add(1f);
        return plain.mul(notTarget).add(oneHot.mul(target.expandDims(1)));
    }

    /** {@code k = floor(acos(c) m / pi)} as the number of thresholds {@code cos(j pi / m) >= c}. */
    static NDArray quadrant(NDArray cos, int m) {
        NDArray k = cos.zerosLike();
        for (int j = 1; j <= m; j++) {
            k = k.add(cos.lte(threshold(j, m)).toType(DataType.FLOAT32, false));
        }
        return k;
    }

    /** {@code cos(j pi / m)} in float, exact at 0 and -1. */
    static float threshold(int j, int m) {
        if (2 * j == m) {
            return 0f;
        }
        if (j == m) {
            return -1f;
        }
        return (float) Math.cos(j * Math.PI / m);
    }

    /** T_m(c) = cos(m acos c) by the recurrence T_{i+1} = 2c T_i - T_{i-1}. */
    static NDArray chebyshev(NDArray c, int m) {
        NDArray previous = c.onesLike();
        NDArray current = c;
        for (int i = 1; i < m; i++) {
            NDArray next = Scalars.times(c.mul(current), 2f).sub(previous);
            previous = current;
            current = next;
        }
        return current;
    }

    /** Row L2 norm [N, C] to [N] whose gradient at a zero row is 0 (not NaN). */
    static NDArray norm(NDArray x) {
        NDArray squares = x.mul(x).sum(new int[] {1});
        NDArray positive = squares.gt(0f);
        NDArray safe = NDArrays.where(positive, squares, squares.onesLike());
        return safe.sqrt().mul(positive.toType(DataType.FLOAT32, false));
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        NDArray oneHot = out.oneHot();
        if (Double.isNaN(lambda.fixed()) && out.progress().isSteadyState()) {
            throw new cambench.api.UserException("parameter 'lsoftmax.lambda' is required here (docs/losses.md):"
                    + " the annealed lambda depends on the training iteration; give a number");
        }
        double l = lambda.at(out.progress().iteration());
        NDArray logits = marginLogits(out.pooled(), out.weight(), oneHot, margin, l);
        return LossTerms.of("lsoftmax", CrossEntropy.of(logits, oneHot));
    }

    /**
     * lambda of L-Softmax: fixed, or annealed as {@code max(min, base * (1 + gamma * iteration)^(-power))}.
     *
     * @param fixed the fixed value, or NaN to anneal
     * @param base base (>= 0)
     * @param gamma gamma (>= 0)
     * @param power power (>= 0)
     * @param min lambda_min (>= 0)
     */
    public record LambdaSchedule(double fixed, double base, double gamma, double power, double min) {
        /** lambda at the 1-based optimizer step {@code iteration}. */
        public double at(long iteration) {
            if (!Double.isNaN(fixed)) {
                return fixed;
            }
            return Math.max(min, base * Math.pow(1 + gamma * iteration, -power));
        }
    }

    /** The mixed form under a label-mixing regularizer: the lambda-weighted sum over the two targets. */
    @Override
    public LossTerms mixedTerms(StepOutputs out) {
        return cambench.api.LabelMix.weightedSum(this, out);
    }

    /** Registers {@code lsoftmax}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("lsoftmax", Kind.LOSS,
                    "large-margin softmax: CE with the target logit ||W|| ||z|| psi(theta), bias unused",
                    List.of(ParamSpec.of("m", 2, "integer angular margin >= 1"),
                            ParamSpec.of("lambda", "anneal", "fixed lambda >= 0, or 'anneal':"
                                    + " max(lambda_min, base * (1 + gamma * iteration)^-power)"),
                            ParamSpec.of("base", 1000, "annealing base"),
                            ParamSpec.of("gamma", "1e-5", "annealing gamma"),
                            ParamSpec.of("power", 45, "annealing power"),
                            ParamSpec.of("lambda_min", 0, "annealing floor")),
                    LSoftmaxLoss::create);
        }
    }

    /** The loss with a fixed lambda, or the annealing schedule when {@code lambda} is {@code anneal}. */
    private static LSoftmaxLoss create(ObjectiveContext context) {
        Params p = context.params();
        int m = p.integer("m", 1);
        double fixed = p.string("lambda").trim().equalsIgnoreCase("anneal") ? Double.NaN : p.atLeast("lambda", 0);
        LambdaSchedule schedule = new LambdaSchedule(fixed, p.atLeast("base", 0), p.atLeast("gamma", 0),
                p.atLeast("power", 0), p.atLeast("lambda_min", 0));
        return new LSoftmaxLoss(m, schedule);
    }
}
