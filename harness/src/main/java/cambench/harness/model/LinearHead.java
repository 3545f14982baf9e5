package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/** The standard linear classifier: {@code s = z W^T + b}, W [K, C], b [K]. */
public final class LinearHead implements ClassifierHead {
    private final Linear fc;

    /** Creates a K-way head on C features, parameters named {@code fc.*}. */
    public LinearHead(ParameterStore store, int channels, int classes) {
        this.fc = new Linear(store, "fc", channels, classes, true);
    }

    @Override
    public NDArray logits(NDArray pooled) {
        return fc.forward(pooled);
    }

    @Override
    public NDArray camWeight() {
        return fc.weight();
    }

    @Override
    public NDArray bias() {
        return fc.bias();
    }
}
