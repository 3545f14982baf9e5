package cambench.baselines.loss;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveContext;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.Params;
import cambench.api.StepOutputs;

import java.util.List;
import java.util.Map;

/**
 * Center loss (Wen et al., ECCV 2016; docs/losses.md#center):
 * {@code CE(s, y) + lambda * 0.5 * mean_n ||z_n - c_{y_n}||^2} on the pooled features z [N, C].
 *
 * <p>The class centres c [K, C] are objective state ({@link #state()} {@code centers}, zeros at
 * the start), get no gradient and are moved after every step by {@link #afterStep}: for each class
 * j present in the batch, {@code c_j <- c_j - center_alpha * sum_{n: y_n = j} (c_j - z_n) / (1 + count_j)}
 * with that step's z; absent classes keep their centre.
 */
public final class CenterLoss implements Objective {
    private final double lambda;
    private final double centerAlpha;
    private final NDArray centers;

    /**
     * Creates the loss with zero centres.
     *
     * @param lambda weight of the centre term (>= 0)
     * @param centerAlpha centre learning rate in [0, 1]
     * @param centers the centre array [K, C], owned by the objective's manager; updated in place
     */
    public CenterLoss(double lambda, double centerAlpha, NDArray centers) {
        if (lambda < 0) {
            throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
        }
        if (centerAlpha < 0 || centerAlpha > 1) {
            throw new IllegalArgumentException("center_alpha must be in [0, 1], got " + centerAlpha);
        }
        if (centers.getShape().dimension() != 2) {
            throw new IllegalArgumentException("centers must be [K, C], got " + centers.getShape());
        }
        this.lambda = lambda;
        this.centerAlpha = centerAlpha;
        this.centers = centers;
    }

    /**
     * The centre term {@code 0.5 * mean_n ||z_n - c_{y_n}||^2} (unweighted); c gets no gradient.
     *
     * @param z pooled features [N, C]
     * @param centers class centres [K, C]
     * @param oneHot labels [N, K]
     * @return scalar
     */
    public static NDArray centerTerm(NDArray z, NDArray centers, NDArray oneHot) {
        NDArray diff = z.sub(oneHot.matMul(centers.stopGradient()));
        return Scalars.times(diff.mul(diff).sum(new int[] {1}).mean(), 0.5f);
    }

    /**
     * The centre displacement of one step, {@code sum_{n: y_n = j} (c_j - z_n) / (1 + count_j)}
     * per class j (zero rows for classes absent from the batch); no gradient.
     *
     * @param z pooled features [N, C]
     * @param centers class centres [K, C]
     * @param oneHot labels [N, K]
     * @return [K, C]
     */
    public static NDArray centerDelta(NDArray z, NDArray centers, NDArray oneHot) {
        NDArray y = oneHot.stopGradient();
        NDArray residual = y.matMul(centers.stopGradient()).sub(z.stopGradient());
        NDArray sums = y.transpose().matMul(residual);
        NDArray counts = y.sum(new int[] {0}).add(1f).expandDims(1);
        return sums.div(counts);
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        NDArray oneHot = out.oneHot();
        LossTerms terms = LossTerms.of("ce", CrossEntropy.of(out.logits(), oneHot));
        terms.add("center", Scalars.times(centerTerm(out.pooled(), centers, oneHot), (float) lambda));
        return terms;
    }

    @Override
    public void afterStep(StepOutputs out) {
        NDArray delta = centerDelta(out.pooled(), centers, out.oneHot());
        centers.subi(Scalars.times(delta, (float) centerAlpha));
    }

    @Override
    public Map<String, NDArray> state() {
        return Map.of("centers", centers);
    }

    /** Registers {@code center}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("center", Kind.LOSS, "center loss: CE + lambda * 0.5 * ||z - c_y||^2, centres moved after each step",
                    List.of(ParamSpec.of("lambda", 0.01, "weight of the centre term"),
                            ParamSpec.of("center_alpha", 0.5, "centre learning rate in [0, 1]")),
                    CenterLoss::create);
        }
    }

    /** The loss with zero centres [K, C] in the objective's own manager. */
    private static CenterLoss create(ObjectiveContext context) {
        Params p = context.params();
        double lambda = p.atLeast("lambda", 0);
        double alpha = p.atLeast("center_alpha", 0);
        if (alpha > 1) {
            throw p.invalid("center_alpha", "in [0, 1]");
        }
        NDArray centers = context.manager().zeros(new Shape(context.classes(), context.featureChannels()));
        return new CenterLoss(lambda, alpha, centers);
    }
}
