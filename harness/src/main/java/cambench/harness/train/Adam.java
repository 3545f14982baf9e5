package cambench.harness.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch's semantics (betas 0.9 / 0.999, eps 1e-8, L2 weight decay added to the
 * gradient): {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}. The step count t is state too.
 */
public final class Adam implements Optimizer {
    private static final float B1 = 0.9f;
    private static final float B2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final List<NDArray> params;
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private final NDArray steps;
    private final double weightDecay;

    /** Creates the optimizer with zero moments. */
    public Adam(Map<String, NDArray> parameters, NDManager manager, double weightDecay) {
        this.params = new ArrayList<>(parameters.values());
        this.weightDecay = weightDecay;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray m = manager.zeros(e.getValue().getShape());
            NDArray v = manager.zeros(e.getValue().getShape());
            first.add(m);
            second.add(v);
            state.put("adam.m." + e.getKey(), m);
            state.put("adam.v." + e.getKey(), v);
        }
        steps = manager.zeros(new ai.djl.ndarray.types.Shape(1));
        state.put("adam.steps", steps);
    }

    @Override
    public Map<String, NDArray> state() {
        return state;
    }

    @Override
    public void step(double lr, NDManager scratch) {
        steps.addi(1f);
        double t = steps.getFloat(0);
        float c1 = (float) (1 - Math.pow(B1, t));
        float c2 = (float) Math.sqrt(1 - Math.pow(B2, t));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray grad = p.getGradient();
            grad.attach(scratch);
            NDArray g = weightDecay > 0 ? grad.add(p.mul((float) weightDecay)) : grad;
            first.get(i).muli(B1).addi(g.mul(1 - B1));
            second.get(i).muli(B2).addi(g.square().mul(1 - B2));
            NDArray denom = second.get(i).sqrt().div(c2).add(EPS);
            p.subi(first.get(i).div(denom).mul((float) lr / c1));
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }
}
