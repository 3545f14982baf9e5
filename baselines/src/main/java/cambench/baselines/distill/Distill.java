package cambench.baselines.distill;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Params;
import cambench.api.StepOutputs;
import cambench.api.TeacherOutputs;
import cambench.api.UserException;

/**
 * Pieces shared by the distillers of docs/losses.md ("Distillers"): the teacher lookup, the
 * temperature parameter, the CE + soft-target terms, an L2 norm whose gradient at 0 is 0, L2
 * normalisation and PyTorch's adaptive average pooling. AT and CCM also share their whole form
 * ({@link FeatureTermDistiller}).
 */
public final class Distill {
    /** The floor of the L2 norm in {@code x / max(||x||_2, 1e-12)}. */
    public static final float NORM_EPS = 1e-12f;

    private Distill() {
    }

    /**
     * The CE and soft-target terms shared by KD, AT and CCM: {@code ceWeight * CE(s, y)} as {@code ce}
     * and {@code klWeight * KL_T(t, s)} as {@code kd} (KD: 1 - r and r; AT, CCM: beta and 1 - beta).
     */
    public static LossTerms ceAndKl(StepOutputs out, TeacherOutputs teacher, double ceWeight, double klWeight,
            double temperature) {
        return LossTerms.of("ce", Scalars.times(CrossEntropy.of(out.logits(), out.oneHot()), (float) ceWeight))
                .add("kd", Scalars.times(CrossEntropy.kl(teacher.logits(), out.logits(), temperature), (float) klWeight));
    }

    /**
     * The teacher's outputs of this step.
     *
     * @param out the step
     * @throws UserException when the step carries no teacher
     */
    public static TeacherOutputs teacher(StepOutputs out) {
        return out.teacher().orElseThrow(() -> new UserException(
                "a distiller needs a teacher, but the step has none; use it in a distillation table"
                        + " (a column with a teacher)"));
    }

    /** Parameter {@code T}, the softmax temperature of KL_T, which must be > 0. */
    static double temperature(Params p) {
        return p.above("T", 0);
    }

    /**
     * {@code ||x||_2} along {@code axis}; exact value, and gradient 0 where the norm is 0 (the
     * square root sees 1 there, masked out, instead of an epsilon that would move every value).
     *
     * @param x any shape
     * @param axis the reduced axis
     * @return x's shape without {@code axis}
     */
    public static NDArray l2Norm(NDArray x, int axis) {
        NDArray sumSq = x.square().sum(new int[] {axis});
        NDArray nonZero = sumSq.gt(0f).toType(DataType.FLOAT32, false);
        return sumSq.add(nonZero.neg().add(1f)).sqrt().mul(nonZero);
    }

    /**
     * {@code x / max(||x||_2, 1e-12)} along {@code axis} (PyTorch's {@code F.normalize}).
     *
     * @param x any shape
     * @param axis the normalised axis
     * @return x's shape
     */
    public static NDArray normalize(NDArray x, int axis) {
        return x.div(Scalars.atLeast(l2Norm(x, axis), NORM_EPS).expandDims(axis));
    }

    /**
     * Adaptive average pooling of the last two axes to {@code r x r} with PyTorch's bins: output
     * row i averages input rows {@code floor(i*H/r)} to {@code ceil((i+1)*H/r) - 1}, columns
     * likewise; bins may overlap when r does not divide H, and repeat when r > H.
     *
     * @param x [N, K, H, W]
     * @param r output size R >= 1
     * @return [N, K, R, R]
     */
    public static NDArray adaptiveAvgPool(NDArray x, int r) {
        Shape s = x.getShape();
        long n = s.get(0);
        long k = s.get(1);
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        NDArray cols = x.reshape(-1, w).matMul(binMatrix(x, w, r)); // [N*K*H, R]
        NDArray rows = cols.reshape(n * k, h, r).transpose(0, 2, 1).reshape(-1, h)
                .matMul(binMatrix(x, h, r)); // [N*K*R(cols), R(rows)]
        return rows.reshape(n, k, r, r).transpose(0, 1, 3, 2);
    }

    /** [size, r]: column i holds 1/len over the input positions of bin i. */
    private static NDArray binMatrix(NDArray like, int size, int r) {
        float[] m = new float[size * r];
        for (int i = 0; i < r; i++) {
            int start = Math.floorDiv(i * size, r);
            int end = -Math.floorDiv(-(i + 1) * size, r); // ceil((i+1)*size/r), exclusive
            float v = 1f / (end - start);
            for (int p = start; p < end; p++) {
                m[p * r + i] = v;
            }
        }
        return like.getManager().create(m, new Shape(size, r)).toDevice(like.getDevice(), false);
    }

    /** {@code HxW} of a feature map, for messages. */
    static String size(NDArray f) {
        return f.getShape().get(2) + "x" + f.getShape().get(3);
    }
}
