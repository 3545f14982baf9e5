package cambench.baselines.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import cambench.api.CamMaps;
import cambench.api.ObjectiveProvider;
import cambench.api.StepOutputs;
import cambench.api.TeacherOutputs;
import cambench.api.UserException;

/**
 * Class-activation-map matching distillation (docs/losses.md#distillers):
 * {@code beta CE + (1 - beta) KL_T(t, s) + gamma * mean_{n,h,w} |mm(CAAM(n)) - mm(CAM^t_{y_n}(n))|}.
 * The teacher CAM of the true class is built from f_t and W_t (no bias) and, when larger than
 * the student map, average-pooled to the student's H x W (the sizes must divide).
 */
public final class CcmDistiller extends FeatureTermDistiller {

    /**
     * Creates the distiller.
     *
     * @param temperature T > 0
     * @param beta weight of CE (KL gets 1 - beta)
     * @param gamma weight of the CAM-matching term (>= 0)
     */
    public CcmDistiller(double temperature, double beta, double gamma) {
        super("ccm", temperature, beta, gamma);
    }

    /**
     * The teacher's CAM of each sample's class, average-pooled to {@code h x w}.
     *
     * @param ft teacher map [N, Ct, Ht, Wt]
     * @param teacherWeight W_t [K, Ct]
     * @param oneHot labels [N, K]
     * @param h student height, Ht a multiple of it
     * @param w student width, Wt a multiple of it
     * @return [N, h*w], constant
     * @throws UserException when Ht x Wt is not an integer multiple of h x w
     */
    public static NDArray teacherCam(NDArray ft, NDArray teacherWeight, NDArray oneHot, long h, long w) {
        Shape s = ft.getShape();
        long ht = s.get(2);
        long wt = s.get(3);
        if (ht < h || wt < w || ht % h != 0 || wt % w != 0) {
            throw new UserException("ccm: teacher feature map " + ht + "x" + wt + " cannot be average-pooled to"
                    + " the student's " + h + "x" + w + " (teacher sizes must be multiples of the student's)");
        }
        NDArray cam = CamMaps.camOf(ft.stopGradient(), oneHot.matMul(teacherWeight.stopGradient()));
        if (ht == h && wt == w) {
            return cam;
        }
        NDArray blocks = cam.reshape(s.get(0), h, ht / h, w, wt / w);
        return blocks.mean(new int[] {4}).mean(new int[] {2}).reshape(s.get(0), h * w);
    }

    /**
     * The CCM term {@code mean_{n,h,w} |mm(CAAM(n)) - mm(CAM^t_{y_n}(n))|}.
     *
     * @param f student map [N, C, H, W]
     * @param ft teacher map [N, Ct, Ht, Wt]
     * @param teacherWeight W_t [K, Ct]
     * @param oneHot labels [N, K]
     * @return scalar
     */
    public static NDArray ccmTerm(NDArray f, NDArray ft, NDArray teacherWeight, NDArray oneHot) {
        NDArray target = teacherCam(ft, teacherWeight, oneHot, f.getShape().get(2), f.getShape().get(3));
        return CamMaps.minMax(CamMaps.caam(f)).sub(CamMaps.minMax(target)).abs().mean();
    }

    @Override
    NDArray featureTerm(StepOutputs out, TeacherOutputs teacher) {
        return ccmTerm(out.features(), teacher.features(), teacher.weight(), out.oneHot());
    }

    /** Registers {@code ccm}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("ccm", Kind.DISTILLER,
                    "CCM: beta * CE + (1 - beta) * KL_T + gamma * L1(mm(CAAM), mm(teacher CAM of target))",
                    FeatureTermDistiller.parameters(1.0, "CAM-matching term"),
                    FeatureTermDistiller.factory(CcmDistiller::new));
        }
    }
}
