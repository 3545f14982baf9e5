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
import cambench.api.UserException;

import java.util.Arrays;
import java.util.List;

/**
 * Negative CAM suppression (Sun et al., 2020, official {@code HNC_mse}; docs/losses.md#negcam):
 * {@code CE(s, y) + lambda * mean_{n, j in N_n, h, w} (CAM_j(n) + b_j)^2}, where N_n holds the k
 * non-target classes with the largest logits of sample n, chosen without gradient (equal logits: the
 * lower class index first). No ReLU; W and b get the term's gradient. k = 0 drops the term.
 */
public final class NegCamLoss implements Objective {
    private final int k;
    private final double lambda;

    /**
     * Creates the loss.
     *
     * @param k number of hard negative classes per sample (>= 0)
     * @param lambda weight of the CAM term (>= 0)
     */
    public NegCamLoss(int k, double lambda) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        if (lambda < 0) {
            throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
        }
        this.k = k;
        this.lambda = lambda;
    }

    /**
     * The term {@code mean_{n, j in N_n, h, w} (CAM_j(n) + b_j)^2} (unweighted).
     *
     * @param f features [N, C, H, W]
     * @param weight classifier [K, C]
     * @param bias classifier bias [K], or null for a bias-free head
     * @param select per-sample selection one-hot [N, k, K] (see {@link #hardNegatives})
     * @return scalar
     */
    public static NDArray negCamTerm(NDArray f, NDArray weight, NDArray bias, NDArray select) {
        Shape s = f.getShape();
        NDArray flat = f.reshape(s.get(0), s.get(1), -1);
        NDArray maps = select.matMul(weight).batchMatMul(flat);
        if (bias != null) {
            maps = maps.add(select.matMul(bias.reshape(-1, 1)));
        }
        return maps.mul(maps).mean();
    }

    /**
     * The k non-target classes with the largest logits per sample, as a one-hot [N, k, K] on the
     * logits' device; computed on the host from plain values (no gradient), ties to the lower index.
     *
     * @param logits [N, K]
     * @param labels [N]
     * @param k 1 <= k <= K - 1
     * @return [N, k, K] float32
     */
    public static NDArray hardNegatives(NDArray logits, NDArray labels, int k) {
        int n = Math.toIntExact(logits.getShape().get(0));
        int classes = Math.toIntExact(logits.getShape().get(1));
        if (k < 1 || k > classes - 1) {
            throw new IllegalArgumentException("k must be in 1.." + (classes - 1) + ", got " + k);
        }
        float[] s = logits.stopGradient().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        long[] y = labels.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        float[] select = new float[n * k * classes];
        Integer[] order = new Integer[classes];
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            for (int j = 0; j < classes; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> {
                int c = Float.compare(s[row + b], s[row + a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int taken = 0;
            for (int r = 0; r < classes && taken < k; r++) {
                if (order[r] != y[i]) {
                    select[(i * k + taken) * classes + order[r]] = 1f;
                    taken++;
                }
            }
        }
        return logits.getManager().create(select, new Shape(n, k, classes)).toDevice(logits.getDevice(), false);
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        LossTerms terms = LossTerms.of("ce", CrossEntropy.of(out.logits(), out.oneHot()));
        if (k > 0 && lambda > 0) {
            if (k > out.classes() - 1) {
                throw new UserException("parameter 'negcam.k' must be <= K - 1 = " + (out.classes() - 1)
                        + ", got " + k);
            }
            NDArray select = hardNegatives(out.logits(), out.labels(), k);
            terms.add("negcam", Scalars.times(negCamTerm(out.features(), out.weight(), out.bias(), select), (float) lambda));
        }
        return terms;
    }

    /** The mixed form under a label-mixing regularizer: the lambda-weighted sum over the two targets. */
    @Override
    public LossTerms mixedTerms(StepOutputs out) {
        return cambench.api.LabelMix.weightedSum(this, out);
    }

    /** Registers {@code negcam}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("negcam", Kind.LOSS,
                    "negative CAM: CE + lambda * mean (CAM + b)^2 over the k hardest non-target classes",
                    List.of(ParamSpec.of("k", "auto", "hard negative classes per sample, or 'auto' = min(10, K - 1)"),
                            ParamSpec.of("lambda", 0.07, "weight of the negative-CAM term")),
                    NegCamLoss::create);
        }
    }

    /** The loss with k resolved against the class count K ({@code auto}: min(10, K - 1)). */
    private static NegCamLoss create(ObjectiveContext context) {
        Params p = context.params();
        int classes = context.classes();
        String text = p.string("k").trim();
        int k;
        if (text.equalsIgnoreCase("auto")) {
            k = Math.max(0, Math.min(10, classes - 1));
        } else {
            try {
                k = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                k = -1;
            }
            if (k < 0) {
                throw p.invalid("k", "a whole number >= 0 or 'auto'");
            }
        }
        if (k > classes - 1) {
            throw p.invalid("k", "<= K - 1 = " + (classes - 1));
        }
        return new NegCamLoss(k, p.atLeast("lambda", 0));
    }
}
