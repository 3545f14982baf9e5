package cambench.harness.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch's semantics ({@code torch.optim.Adam}: betas 0.9 / 0.999, eps 1e-8, L2 weight
 * decay added to the gradient): {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr / (1-b1^t) * m / (sqrt(v) / sqrt(1-b2^t) + eps)}. The coefficients are computed in double
 * and rounded to float once, as PyTorch does with its Python scalars. The step count t is state too.
 *
 * <p>Parameters and both moments are flat arrays ({@link FlatParameters}), so a step is a dozen
 * whole-network array operations plus zeroing each gradient; while a parameter has no gradient yet
 * steps go parameter by parameter and skip it, as PyTorch skips parameters whose gradient is None.
 */
public final class Adam implements Optimizer {
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    private final FlatParameters flat;
    private final NDArray first;
    private final NDArray second;
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private final NDArray steps;
    private final boolean useDecay;
    private final NDArray decay;
    private final NDArray beta1;
    private final NDArray beta2;
    private final NDArray oneMinusBeta1;
    private final NDArray oneMinusBeta2;
    private final NDArray eps;

    /**
     * Creates the optimizer with zero moments; the parameters become views of one flat array it owns.
     *
     * @param parameters trainable parameters by name (gradients attached, float32)
     * @param manager the parameters' manager; a sub-manager of it owns the optimizer's arrays
     */
    public Adam(Map<String, NDArray> parameters, NDManager manager, double weightDecay) {
        this.flat = new FlatParameters(parameters, manager);
        this.useDecay = weightDecay > 0;
        this.decay = flat.scalar((float) weightDecay);
        this.beta1 = flat.scalar((float) B1);
        this.beta2 = flat.scalar((float) B2);
        this.oneMinusBeta1 = flat.scalar((float) (1 - B1));
        this.oneMinusBeta2 = flat.scalar((float) (1 - B2));
        this.eps = flat.scalar((float) EPS);
        this.first = flat.zeros();
        this.second = flat.zeros();
        Map<String, NDArray> m = flat.named(first, "adam.m.");
        Map<String, NDArray> v = flat.named(second, "adam.v.");
        for (String name : m.keySet()) {
            String param = name.substring("adam.m.".length());
            state.put(name, m.get(name));
            state.put("adam.v." + param, v.get("adam.v." + param));
        }
        steps = flat.zeros(new Shape(1));
        steps.setName("adam.steps");
        state.put("adam.steps", steps);
    }

    /** Moments by name ({@code adam.m.<parameter>}, {@code adam.v.<parameter>}) and {@code adam.steps}. */
    @Override
    public Map<String, NDArray> state() {
        return state;
    }

    @Override
    public void discardGradients() {
        flat.zeroGradients();
    }

    @Override
    public void step(double lr, NDManager scratch) {
        steps.addi(1f);
        double t = steps.getFloat(0);
        double c1 = 1 - Math.pow(B1, t);
        double c2 = Math.sqrt(1 - Math.pow(B2, t));
        NDArray c2Scalar = scratch.full(new Shape(), (float) c2);
        NDArray stepSize = scratch.full(new Shape(), (float) (lr / c1));
        NDArray g = flat.gradients(scratch);
        if (g != null) {
            update(flat.values(), g, first, second, c2Scalar, stepSize);
        } else {
            List<NDArray> params = flat.parameters();
            List<NDArray> ms = List.copyOf(flat.named(first, "m.").values());
            List<NDArray> vs = List.copyOf(flat.named(second, "v.").values());
            for (int i = 0; i < params.size(); i++) {
                NDArray grad = FlatParameters.gradientOrNull(params.get(i));
                if (grad != null) {
                    grad.attach(scratch);
                    update(params.get(i), grad, ms.get(i), vs.get(i), c2Scalar, stepSize);
                }
            }
            ms.forEach(NDArray::close);
            vs.forEach(NDArray::close);
        }
        flat.zeroGradients();
    }

    /** One Adam update of parameters {@code p} with gradient {@code g} (modified) and moments {@code m, v}. */
    private void update(NDArray p, NDArray g, NDArray m, NDArray v, NDArray c2, NDArray stepSize) {
        // results of ops on p, m or v belong to the optimizer's manager: close them here
        if (useDecay) {
            try (NDArray d = p.mul(decay)) {
                g.addi(d);
            }
        }
        try (NDArray a = g.mul(oneMinusBeta1)) {
            m.muli(beta1).addi(a);
        }
        try (NDArray sq = g.mul(g)) {
            v.muli(beta2).addi(sq.muli(oneMinusBeta2));
        }
        try (NDArray denom = v.sqrt(); NDArray ratio = m.div(denom.divi(c2).addi(eps))) {
            p.subi(ratio.muli(stepSize));
        }
    }
}
