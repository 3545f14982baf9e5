package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** A fully connected layer: weight [out, in], bias [out]; [N, in] gives [N, out]. */
public final class Linear {
    private final NDArray weight;
    private final NDArray bias;

    /** Creates the layer with PyTorch's default initialisation. */
    public Linear(ParameterStore store, String name, int in, int out, boolean bias) {
        this.weight = store.parameter(name + ".weight", new Shape(out, in), Init.linearDefault(in));
        this.bias = bias ? store.parameter(name + ".bias", new Shape(out), Init.linearDefault(in)) : null;
    }

    /** The weight [out, in]. */
    public NDArray weight() {
        return weight;
    }

    /** The bias [out], or null when the layer has none. */
    public NDArray bias() {
        return bias;
    }

    /** Applies {@code x W^T + b}. */
    public NDArray forward(NDArray x) {
        NDArray y = x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        MacCounter.add(y, weight);
        return y;
    }
}
