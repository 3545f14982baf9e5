package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

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

    /** The convolution with the BN folded in ({@link Conv2d#fuse}). */
    FusedConv fusedConv(OneDnnKernel kernel, NDManager manager) {
        return conv.fuse(bn, kernel, manager);
    }

    @Override
    public Optional<FusedBlock> fuse(OneDnnKernel kernel, NDManager manager) {
        FusedConv c = fusedConv(kernel, manager);
        return Optional.of((x, out) -> c.apply(kernel, out, x, relu));
    }

    /** This unit, then square max pooling (floor mode): a pooled stem or a Conv-4 block. */
    Block thenMaxPool(int kernel, int stride, int padding) {
        return new Block() {
            @Override
            public NDArray forward(NDArray x, boolean training) {
                return Ops.maxPool(ConvBn.this.forward(x, training), kernel, stride, padding);
            }

            @Override
            public Optional<FusedBlock> fuse(OneDnnKernel k, NDManager manager) {
                return ConvBn.this.fuse(k, manager).map(c -> c.then((x, out) -> k.maxPool(out, x, kernel, stride,
                        padding)));
            }
        };
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = bn.forward(conv.forward(x), training);
        return relu ? Ops.relu(h) : h;
    }
}
