package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/**
 * A convolution followed by BatchNorm, optionally ReLU: the post-activation unit that most of the
 * architectures repeat. Parameters are named {@code <convName>.*} and {@code <bnName>.*}.
 */
final class ConvBn implements Block {
    private final Conv2d conv;
    private final BatchNorm2d bn;
    private final boolean relu;

    /** A bias-free dense convolution, BN, then ReLU when {@code relu}. */
    ConvBn(ParameterStore store, String convName, String bnName, int in, int out, int kernel, int stride,
            boolean relu) {
        this(store, convName, bnName, in, out, kernel, stride, 1, false, relu);
    }

    /** The general form; padding is {@code kernel / 2}. */
    ConvBn(ParameterStore store, String convName, String bnName, int in, int out, int kernel, int stride,
            int groups, boolean bias, boolean relu) {
        this(new Conv2d(store, convName, in, out, kernel, stride, kernel / 2, groups, bias), store, bnName, out, relu);
    }

    /** A given convolution, then BN over its {@code out} channels, then ReLU when {@code relu}. */
    ConvBn(Conv2d conv, ParameterStore store, String bnName, int out, boolean relu) {
        this.conv = conv;
        this.bn = new BatchNorm2d(store, bnName, out);
        this.relu = relu;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = bn.forward(conv.forward(x), training);
        return relu ? Ops.relu(h) : h;
    }
}
