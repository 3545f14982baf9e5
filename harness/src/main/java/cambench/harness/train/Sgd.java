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
    private final List<NDArray> moms = new ArrayList<>();
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
                moms.add(b);
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
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = p.getGradient(); // p's gradient tensor itself, updated in place, zeroed below
            g.attach(scratch);
            // results of ops on p or buf would belong to the network's manager: close them here
            if (weightDecay > 0) {
                try (NDArray decay = p.mul((float) weightDecay)) {
                    g.addi(decay);
                }
            }
            NDArray update = g;
            if (momentum > 0) {
                NDArray buf = moms.get(i);
                buf.muli((float) momentum).addi(g);
                if (nesterov) {
                    try (NDArray look = buf.mul((float) momentum)) {
                        update = g.add(look);
                    }
                } else {
                    update = buf;
                }
            }
            try (NDArray delta = update.mul((float) lr)) {
                p.subi(delta);
            }
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }
}
