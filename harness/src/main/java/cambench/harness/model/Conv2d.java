package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A 2-D convolution layer: weight [out, in/groups, k, k], optional bias [out].
 *
 * <p>Input [N, in, H, W] gives [N, out, H', W'] with {@code H' = (H + 2 pad - k) / stride + 1}.
 */
public final class Conv2d {
    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation = new Shape(1, 1);
    private final int groups;

    /** Creates a bias-free square convolution. */
    public Conv2d(ParameterStore store, String name, int in, int out, int kernel, int stride, int padding) {
        this(store, name, in, out, kernel, stride, padding, 1, false);
    }

    /**
     * Creates a square convolution.
     *
     * @param store where the parameters live
     * @param name parameter name prefix
     * @param in input channels
     * @param out output channels
     * @param kernel kernel size
     * @param stride stride
     * @param padding zero padding on each side
     * @param groups channel groups (1 = dense, in = depthwise)
     * @param bias whether to add a bias
     */
    public Conv2d(ParameterStore store, String name, int in, int out, int kernel, int stride,
            int padding, int groups, boolean bias) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(name + ": channels not divisible by groups " + groups);
        }
        this.weight = store.parameter(name + ".weight", new Shape(out, in / groups, kernel, kernel),
                Init.kaimingFanOut());
        this.bias = bias
                ? store.parameter(name + ".bias", new Shape(out), Init.constant(0f))
                : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.groups = groups;
    }

    /** Applies the convolution to [N, in, H, W]. */
    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal()
                .convolution(x, weight, bias, stride, padding, dilation, groups)
                .singletonOrThrow();
    }
}
