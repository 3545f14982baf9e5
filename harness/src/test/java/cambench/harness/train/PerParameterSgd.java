package cambench.harness.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optimizer step as it was before the flat one: SGD parameter by parameter, a handful of array
 * operations each ({@code g += wd p; buf = m buf + g; p -= lr (nesterov ? g + m buf : buf)}). The
 * reference the flat {@link Sgd} must match.
 */
final class PerParameterSgd {
    private final List<NDArray> params;
    private final List<NDArray> moms = new ArrayList<>();
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    PerParameterSgd(Map<String, NDArray> parameters, NDManager manager, double momentum, boolean nesterov,
            double weightDecay) {
        this.params = new ArrayList<>(parameters.values());
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        for (NDArray p : params) {
            moms.add(manager.zeros(p.getShape()));
        }
    }

    NDArray momentum(int i) {
        return moms.get(i);
    }

    List<NDArray> buffers() {
        return moms;
    }

    void step(double lr, NDManager scratch) {
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = p.getGradient();
            g.attach(scratch);
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
