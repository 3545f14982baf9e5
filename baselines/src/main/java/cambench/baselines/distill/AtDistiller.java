package cambench.baselines.distill;

import ai.djl.ndarray.NDArray;
import cambench.api.ObjectiveProvider;
import cambench.api.StepOutputs;
import cambench.api.TeacherOutputs;
import cambench.api.UserException;

import java.util.ArrayList;
import java.util.List;

/**
 * Attention transfer (Zagoruyko and Komodakis, ICLR 2017; docs/losses.md#distillers):
 * {@code beta CE + (1 - beta) KL_T(t, s) + gamma * sum_pairs mean_n ||a(f)(n) - a(f_t)(n)||_2},
 * with {@code a(f)(n) = v / max(||v||_2, 1e-12)}, {@code v = vec(mean_c f[n,c]^2)}.
 *
 * <p>Stage pairs: student and teacher stages are aligned from the deepest one backwards, and
 * every aligned pair with equal H x W contributes; when no pair matches, the step fails with a
 * {@link UserException}. Without stages, the last feature maps form the only pair.
 */
public final class AtDistiller extends FeatureTermDistiller {

    /**
     * Creates the distiller.
     *
     * @param temperature T > 0
     * @param beta weight of CE (KL gets 1 - beta)
     * @param gamma weight of the attention term (>= 0)
     */
    public AtDistiller(double temperature, double beta, double gamma) {
        super("at", temperature, beta, gamma);
    }

    /**
     * The attention map {@code a(f)}: channel mean of f^2, flattened, L2-normalised per sample.
     *
     * @param f [N, C, H, W]
     * @return [N, H*W]
     */
    public static NDArray attention(NDArray f) {
        NDArray v = f.square().mean(new int[] {1}).reshape(f.getShape().get(0), -1);
        return Distill.normalize(v, 1);
    }

    /**
     * One pair's term {@code mean_n ||a(f)(n) - a(f_t)(n)||_2} (plain L2, not squared).
     *
     * @param f student map [N, C, H, W]
     * @param ft teacher map [N, Ct, H, W] (treated as constant)
     * @return scalar
     */
    public static NDArray atTerm(NDArray f, NDArray ft) {
        NDArray diff = attention(f).sub(attention(ft.stopGradient()));
        return Distill.l2Norm(diff, 1).mean();
    }

    /**
     * The AT term summed over the stage pairs of equal spatial size, stages aligned from the
     * deepest.
     *
     * @param stages student stages, shallow to deep
     * @param teacherStages teacher stages, shallow to deep
     * @return scalar
     * @throws UserException when no aligned pair has equal H x W
     */
    public static NDArray atTerm(List<NDArray> stages, List<NDArray> teacherStages) {
        List<String> mismatched = new ArrayList<>();
        NDArray sum = null;
        int pairs = Math.min(stages.size(), teacherStages.size());
        for (int i = 1; i <= pairs; i++) {
            NDArray s = stages.get(stages.size() - i);
            NDArray t = teacherStages.get(teacherStages.size() - i);
            if (s.getShape().get(2) != t.getShape().get(2) || s.getShape().get(3) != t.getShape().get(3)) {
                mismatched.add("student " + Distill.size(s) + " vs teacher " + Distill.size(t));
                continue;
            }
            NDArray term = atTerm(s, t);
            sum = sum == null ? term : sum.add(term);
        }
        if (sum == null) {
            throw new UserException("at: teacher and student feature maps differ in size (" + String.join(", ",
                    mismatched) + "); attention transfer needs equal H x W, pick a teacher/student pair whose"
                    + " stages match");
        }
        return sum;
    }

    @Override
    NDArray featureTerm(StepOutputs out, TeacherOutputs teacher) {
        List<NDArray> s = out.stages().isEmpty() ? List.of(out.features()) : out.stages();
        List<NDArray> t = teacher.stages().isEmpty() ? List.of(teacher.features()) : teacher.stages();
        return atTerm(s, t);
    }

    /** Registers {@code at}. */
    public static final class Provider extends ObjectiveProvider {
        /** Called by the service loader. */
        public Provider() {
            super("at", Kind.DISTILLER,
                    "AT: beta * CE + (1 - beta) * KL_T + gamma * L2 distance of normalised attention maps",
                    FeatureTermDistiller.parameters(10.0, "attention-transfer term"),
                    FeatureTermDistiller.factory(AtDistiller::new));
        }
    }
}
