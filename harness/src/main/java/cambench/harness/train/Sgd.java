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
 * SGD with momentum, optional Nesterov and L2 weight decay, with PyTorch's semantics:
 * {@code g += wd * p; buf = momentum * buf + g; step = nesterov ? g + momentum * buf : buf;
 * p -= lr * step}. Momentum buffers start at zero (equal to PyTorch's first-step copy).
 * Gradients are zeroed after every step.
 */
public final class Sgd implements Optimizer {
    private final List<NDArray> params;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    /**
     * Creates the optimizer.
     *
     * @param parameters trainable parameters by name (gradients attached)
     * @param manager owner of the momentum buffers
     */
    public Sgd(Map<String, NDArray> parameters, NDManager manager, double momentum, boolean nesterov,
            double weightDecay) {
        this.params = new ArrayList<>(parameters.values());
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        if (momentum > 0) {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray b = manager.zeros(e.getValue().getShape());
                b.setName("momentum." + e.getKey());
                buffers.put("momentum." + e.getKey(), b);
            }
        }
    }

    /** Momentum buffers by name, for checkpoints. */
    @Override
    public Map<String, NDArray> state() {
        return buffers;
    }

    /**
     * Applies one update with the gradients left by the last backward pass, then zeroes them.
     *
     * @param lr learning rate of this step
     * @param scratch manager for temporaries of this step
     */
    @Override
    public void step(double lr, NDManager scratch) {
        List<NDArray> moms = new ArrayList<>(buffers.values());
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray grad = p.getGradient();
            grad.attach(scratch);
            NDArray g = weightDecay > 0 ? grad.add(p.mul((float) weightDecay)) : grad;
            NDArray update = g;
            if (momentum > 0) {
                NDArray buf = moms.get(i);
                buf.muli((float) momentum).addi(g);
                update = nesterov ? g.add(buf.mul((float) momentum)) : buf;
            }
            p.subi(update.mul((float) lr));
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }
}
