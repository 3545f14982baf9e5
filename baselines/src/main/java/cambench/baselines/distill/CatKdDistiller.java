package cambench.baselines.distill;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import cambench.api.CamMaps;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveContext;
import cambench.api.ObjectiveProvider;
import cambench.api.ParamSpec;
import cambench.api.Params;
import cambench.api.StepOutputs;
import cambench.api.TeacherOutputs;

import java.util.List;

/**
 * Class attention transfer KD (Guo et al., CVPR 2023; docs/losses.md#distillers):
 * {@code CE(s, y) + beta * mean_{n,k,i,j} (P(CAM(n))_k - P(CAM^t(n))_k)^2} over the bias-free CAMs
 * of all K classes, P adaptive average pooling to R x R (each map from its own size), optionally
 * L2-normalising every pooled class map. W receives the gradient of the CAT term.
 */
public final class CatKdDistiller implements Objective {
    private final double beta;
    private final double ceWeight;
    private final int resolution;
    private final boolean normalize;

    /**
     * Creates the distiller.
     *
     * @param beta weight of the CAT term (>= 0)
     * @param resolution R >= 1
     * @param normalize whether pooled class maps are L2-normalised
     */
    public CatKdDistiller(double beta, int resolution, boolean normalize) {
        this(beta, resolution, normalize, 1.0);
    }

    /**
     * Creates the distiller with a CE weight; 0 gives the pure class-attention transfer (CAT) of
     * CAT-KD's Tables A.1 and A.2.
     */
    public CatKdDistiller(double beta, int resolution, boolean normalize, double ceWeight) {
        this.ceWeight = ceWeight;
        if (beta < 0 || resolution < 1) {
            throw new IllegalArgumentException("need beta >= 0 and R >= 1, got " + beta + ", " + resolution);
        }
        this.beta = beta;
        this.resolution = resolution;
        this.normalize = normalize;
    }

    /**
     * P(CAM): all class maps pooled to R x R, optionally normalised per class map.
     *
     * @param f [N, C, H, W]
     * @param weight [K, C]
     * @param resolution R
     * @param normalize divide each [R, R] map by max(||.||_2, 1e-12)
     * @return [N, K, R, R]
     */
    public static NDArray pooledCams(NDArray f, NDArray weight, int resolution, boolean normalize) {
        NDArray pooled = Distill.adaptiveAvgPool(CamMaps.allCams(f, weight), resolution);
        if (!normalize) {
            return pooled;
        }
        long[] s = pooled.getShape().getShape();
        return Distill.normalize(pooled.reshape(s[0], s[1], -1), 2).reshape(pooled.getShape());
    }

    /**
     * The CAT term {@code mean_{n,k,i,j} (P(CAM(n))_k - P(CAM^t(n))_k)^2}.
     *
     * @param f student map [N, C, H, W]
     * @param weight student W [K, C] (receives gradient)
     * @param ft teacher map [N, Ct, Ht, Wt] (constant)
     * @param teacherWeight W_t [K, Ct] (constant)
     * @param resolution R
     * @param normalize see {@link #pooledCams}
     * @return scalar
     */
    public static NDArray catTerm(NDArray f, NDArray weight, NDArray ft, NDArray teacherWeight, int resolution,
            boolean normalize) {
        NDArray target = pooledCams(ft.stopGradient(), teacherWeight.stopGradient(), resolution, normalize);
        return pooledCams(f, weight, resolution, normalize).sub(target).square().mean();
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        TeacherOutputs teacher = Distill.teacher(out);
        LossTerms terms = new LossTerms();
        if (ceWeight > 0) {
            terms.add("ce", Scalars.times(CrossEntropy.of(out.logits(), out.oneHot()), (float) ceWeight));
        }
        if (beta > 0 || ceWeight == 0) {
            terms.add("cat", Scalars.times(catTerm(out.features(), out.weight(), teacher.features(),
                    teacher.weight(), resolution, normalize), (float) beta));
        }
        return terms;
    }

    /** Registers {@code catkd}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("catkd", Kind.DISTILLER,
                    "CAT-KD: CE + beta * MSE of all-class CAMs pooled to R x R (optionally L2-normalised)",
                    List.of(ParamSpec.required("beta", "weight of the CAT term, per teacher/student pair (>= 0;"
                                    + " e.g. 0.7 ResNet56->20, 15 ResNet32x4->8x4)"),
                            ParamSpec.of("R", 2, "side of the pooled CAMs (>= 1)"),
                            ParamSpec.of("normalize", false, "L2-normalise each pooled class map (true/false)"),
                            ParamSpec.of("ce", 1.0, "weight of CE (0: pure CAT, CAT-KD Tables A.1/A.2)")),
                    CatKdDistiller::create);
        }
    }

    /** The distiller from its parameters (beta is required: it depends on the teacher/student pair). */
    private static CatKdDistiller create(ObjectiveContext context) {
        Params p = context.params();
        return new CatKdDistiller(p.atLeast("beta", 0), p.integer("R", 1), p.flag("normalize"), p.atLeast("ce", 0));
    }
}
