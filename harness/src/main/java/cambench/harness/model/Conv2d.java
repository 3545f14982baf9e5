package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

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
        store.addConvolution(new ConvShape(in, out, groups, kernel, stride, padding));
        this.weight = store.parameter(name + ".weight", new Shape(out, in / groups, kernel, kernel),
                Init.kaimingFanOut());
        this.bias = bias
                ? store.parameter(name + ".bias", new Shape(out), Init.constant(0f))
                : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.groups = groups;
    }

    /**
     * This convolution with a BatchNorm that follows it folded in, prepacked for the oneDNN
     * evaluation path: weight {@code w * s} and bias {@code b * s + beta - mean * s} per output
     * channel, {@code s = gamma / sqrt(var + eps)} (the BN's running statistics, as in evaluation).
     * With {@code bn == null} the convolution alone (bias 0 when it has none).
     */
    FusedConv fuse(BatchNorm2d bn, OneDnnKernel kernel, NDManager manager) {
        NDArray w;
        NDArray b;
        if (bn == null) {
            w = weight;
            b = bias == null ? manager.zeros(new Shape(weight.getShape().get(0))) : Ops.copyInto(manager, bias);
        } else {
            NDArray[] scaleShift = bn.evalScaleShift(manager);
            NDArray scale = scaleShift[0];
            w = Ops.copyInto(manager, weight).muli(scale.reshape(-1, 1, 1, 1));
            b = bias == null ? scaleShift[1] : Ops.copyInto(manager, bias).muli(scale).addi(scaleShift[1]);
        }
        int pad = (int) padding.get(0);
        int s = (int) stride.get(0);
        return new FusedConv(kernel.packConv(manager, w, pad, s, groups), b, pad, s, groups);
    }

    /** This convolution alone as a unit of a staged backbone (e.g. a stem without BN). */
    Block asBlock() {
        return new Block() {
            @Override
            public NDArray forward(NDArray x, boolean training) {
                return Conv2d.this.forward(x);
            }

            @Override
            public Optional<FusedBlock> fuse(OneDnnKernel kernel, NDManager manager) {
                FusedConv c = Conv2d.this.fuse(null, kernel, manager);
                return Optional.of((x, out) -> c.apply(kernel, out, x, false));
            }
        };
    }

    /** Applies the convolution to [N, in, H, W]. */
    public NDArray forward(NDArray x) {
        NDArray y = x.getNDArrayInternal()
                .convolution(x, weight, bias, stride, padding, dilation, groups)
                .singletonOrThrow();
        MacCounter.add(y, weight);
        return y;
    }
}
