package cambench.baselines.loss;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import cambench.api.CamMaps;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.Params;
import cambench.api.StepOutputs;
import cambench.api.UserException;

import java.util.List;

/**
 * CAM-loss (Wang et al., ICCV 2021; docs/losses.md#cam):
 * {@code CE(s, y) + alpha * mean_{n,h,w} |mm(CAAM(n)) - mm(CAM_{y_n}(n))|}, the CAM built with
 * sg(W), so only CE updates the classifier. alpha follows a step schedule: 0 before the start
 * epoch t, {@code alpha} from it on; t is fixed (1-based epoch number) or {@code adaptive}: the
 * epoch after the first one whose training accuracy exceeds 50%.
 */
public final class CamLoss implements Objective {
    private final double alpha;
    private final AlphaStep schedule;

    /**
     * Creates the loss.
     *
     * @param alpha weight c of the CAM term (>= 0)
     * @param schedule when the term switches on
     */
    public CamLoss(double alpha, AlphaStep schedule) {
        if (alpha < 0) {
            throw new IllegalArgumentException("alpha must be >= 0, got " + alpha);
        }
        this.alpha = alpha;
        this.schedule = schedule;
    }

    /**
     * The CAM term {@code mean_{n,h,w} |mm(CAAM(n)) - mm(CAM_{y_n}(n))|} with sg(W).
     *
     * @param f features [N, C, H, W]
     * @param weight classifier [K, C]
     * @param oneHot labels [N, K]
     * @return scalar
     */
    public static NDArray camTerm(NDArray f, NDArray weight, NDArray oneHot) {
        NDArray target = CamMaps.camOf(f, oneHot.matMul(weight.stopGradient()));
        return CamMaps.minMax(CamMaps.caam(f)).sub(CamMaps.minMax(target)).abs().mean();
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        NDArray oneHot = out.oneHot();
        LossTerms terms = LossTerms.of("ce", CrossEntropy.of(out.logits(), oneHot));
        if (schedule.active(out.progress()) && alpha > 0) {
            terms.add("cam", Scalars.times(camTerm(out.features(), out.weight(), oneHot), (float) alpha));
        }
        return terms;
    }

    /** The mixed form under a label-mixing regularizer: the lambda-weighted sum over the two targets. */
    @Override
    public LossTerms mixedTerms(StepOutputs out) {
        return cambench.api.LabelMix.weightedSum(this, out);
    }

    /** Registers {@code cam}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("cam", Kind.LOSS, "CAM-loss: CE + alpha * L1(mm(CAAM), mm(CAM of target)), step schedule on alpha",
                    List.of(ParamSpec.of("alpha", 3.0, "weight c of the CAM term once switched on"),
                            ParamSpec.of("start_epoch", 20, "1-based epoch t from which alpha applies, or"
                                    + " 'adaptive' (after the first epoch whose training accuracy exceeds"
                                    + " adaptive_accuracy)"),
                            ParamSpec.of("adaptive_accuracy", 0.5, "training accuracy (fraction) that switches"
                                    + " alpha on when start_epoch is 'adaptive'")),
                    context -> new CamLoss(context.params().atLeast("alpha", 0),
                            AlphaStep.parse(context.params(), "start_epoch", "adaptive_accuracy")));
        }
    }

    /**
     * The step schedule of alpha (paper Eq. 7).
     *
     * @param startEpoch 1-based start epoch t, or -1 for adaptive
     * @param adaptiveAccuracy the training accuracy (fraction) an epoch must exceed to switch
     *     alpha on in adaptive mode
     */
    public record AlphaStep(int startEpoch, double adaptiveAccuracy) {
        /** Parses a whole number >= 0 or {@code adaptive}, and the adaptive threshold in [0, 1). */
        static AlphaStep parse(Params p, String key, String thresholdKey) {
            double threshold = p.atLeast(thresholdKey, 0);
            if (threshold >= 1) {
                throw p.invalid(thresholdKey, "a fraction in [0, 1)");
            }
            String v = p.string(key);
            if (v.equals("adaptive")) {
                return new AlphaStep(-1, threshold);
            }
            try {
                return new AlphaStep(p.integer(key, 0), threshold);
            } catch (UserException e) {
                throw p.invalid(key, "a whole number >= 0 or 'adaptive'");
            }
        }

        /** Whether alpha is switched on at this point of training. */
        public boolean active(cambench.api.Progress progress) {
            if (startEpoch >= 0) {
                return progress.epoch() + 1 >= startEpoch;
            }
            return progress.trainAccuracies().stream().anyMatch(a -> a > adaptiveAccuracy);
        }
    }
}
