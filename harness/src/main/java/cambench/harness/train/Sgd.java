package cambench.harness.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;
import java.util.Map;

/**
 * SGD with momentum, optional Nesterov and L2 weight decay, with PyTorch's semantics
 * ({@code torch.optim.SGD}, dampening 0): {@code g += wd * p; buf = momentum * buf + g;
 * step = nesterov ? g + momentum * buf : buf; p -= lr * step}. Momentum buffers start at zero
 * (equal to PyTorch's first-step copy). Gradients are zeroed after every step.
 *
 * <p>The parameters are packed into one flat array ({@link FlatParameters}; they become views of
 * it) and the momentum is one flat array too, so a step is about seven whole-network array
 * operations plus zeroing each gradient, instead of about seven operations per parameter. While a
 * parameter has no gradient yet (it took no part in any backward pass) steps go parameter by
 * parameter and skip it, as PyTorch skips parameters whose gradient is None.
 */
public final class Sgd implements Optimizer {
    private final FlatParameters flat;
    private final NDArray buffer;
    private final Map<String, NDArray> state;
    private final NDArray momentum;
    private final NDArray decay;
    private final boolean nesterov;
    private final boolean useMomentum;
    private final boolean useDecay;
    private final ScalarCache lr;

    /**
     * Creates the optimizer; the parameters become views of one flat array it owns.
     *
     * @param parameters trainable parameters by name (gradients attached, float32)
     * @param manager the parameters' manager; a sub-manager of it owns the optimizer's arrays
     */
    public Sgd(Map<String, NDArray> parameters, NDManager manager, double momentum, boolean nesterov,
            double weightDecay) {
        this.flat = new FlatParameters(parameters, manager);
        this.useMomentum = momentum > 0;
        this.useDecay = weightDecay > 0;
        this.nesterov = nesterov;
        this.momentum = flat.scalar((float) momentum);
        this.decay = flat.scalar((float) weightDecay);
        this.lr = new ScalarCache(flat);
        this.buffer = useMomentum ? flat.zeros() : null;
        this.state = useMomentum ? flat.named(buffer, "momentum.") : Map.of();
    }

    /** Momentum buffers by name ({@code momentum.<parameter>}, views of the flat buffer), for checkpoints. */
    @Override
    public Map<String, NDArray> state() {
        return state;
    }

    /**
     * Applies one update with the gradients left by the last backward pass, then zeroes them.
     *
     * @param lr learning rate of this step
     * @param scratch manager for temporaries of this step
     */
    @Override
    public void discardGradients() {
        flat.zeroGradients();
    }

    @Override
    public void step(double lr, NDManager scratch) {
        NDArray g = flat.gradients(scratch);
        if (g == null) {
            stepEach(lr, scratch);
        } else {
            update(flat.values(), g, buffer, this.lr.get(lr));
        }
        flat.zeroGradients();
    }

    /** {@code p -= lr * step(g)} for one array of parameters, its gradient (modified) and momentum. */
    private void update(NDArray p, NDArray g, NDArray buf, NDArray lrScalar) {
        // results of ops on p or buf belong to the optimizer's manager: close them here
        if (useDecay) {
            try (NDArray d = p.mul(decay)) {
                g.addi(d);
            }
        }
        NDArray step = g;
        if (useMomentum) {
            buf.muli(momentum).addi(g);
            if (nesterov) {
                try (NDArray look = buf.mul(momentum)) {
                    g.addi(look);
                }
            } else {
                step = buf;
            }
        }
        try (NDArray delta = step.mul(lrScalar)) {
            p.subi(delta);
        }
    }

    /** The update parameter by parameter, skipping those without a gradient. */
    private void stepEach(double lr, NDManager scratch) {
        List<NDArray> params = flat.parameters();
        List<NDArray> moms = useMomentum ? List.copyOf(state.values()) : null;
        for (int i = 0; i < params.size(); i++) {
            NDArray grad = FlatParameters.gradientOrNull(params.get(i));
            if (grad == null) {
                continue;
            }
            grad.attach(scratch);
            update(params.get(i), grad, useMomentum ? moms.get(i) : null, this.lr.get(lr));
        }
    }

    /** A 0-d float32 array holding the last value asked for, remade only when the value changes. */
    static final class ScalarCache {
        private final FlatParameters owner;
        private double value = Double.NaN;
        private NDArray array;

        ScalarCache(FlatParameters owner) {
            this.owner = owner;
        }

        NDArray get(double v) {
            if (array == null || v != value) {
                if (array != null) {
                    array.close();
                }
                array = owner.scalar((float) v);
                value = v;
            }
            return array;
        }
    }
}
