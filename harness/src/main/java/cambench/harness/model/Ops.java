package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Parameter-free tensor operations shared by the architectures, with PyTorch semantics. */
final class Ops {
    private Ops() {
    }

    /** A copy of {@code x} owned by {@code m}, so that results computed from it land in {@code m} too. */
    static NDArray copyInto(NDManager m, NDArray x) {
        return m.zeros(x.getShape(), x.getDataType()).addi(x);
    }

    /** max(x, 0). */
    static NDArray relu(NDArray x) {
        return x.getNDArrayInternal().relu();
    }

    /** Square max pooling (floor mode), as {@code nn.MaxPool2d(k, stride, padding)}. */
    static NDArray maxPool(NDArray x, int kernel, int stride, int padding) {
        return x.getNDArrayInternal().maxPool(new Shape(kernel, kernel), new Shape(stride, stride),
                new Shape(padding, padding), false);
    }

    /** Square average pooling (floor mode, padding counted), as {@code nn.AvgPool2d(k, stride, padding)}. */
    static NDArray avgPool(NDArray x, int kernel, int stride, int padding) {
        return x.getNDArrayInternal().avgPool(new Shape(kernel, kernel), new Shape(stride, stride),
                new Shape(padding, padding), false, true);
    }

    /** Inverted dropout with drop probability {@code rate}; the identity outside training or at rate 0. */
    static NDArray dropout(NDArray x, double rate, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, (float) rate, training).singletonOrThrow();
    }

    /**
     * ShuffleNet's channel shuffle: [N, g*c, H, W] viewed as [N, g, c, H, W], axes 1 and 2
     * swapped, flattened back.
     */
    static NDArray channelShuffle(NDArray x, int groups) {
        if (groups == 1) {
            return x;
        }
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        return x.reshape(n, groups, c / groups, s.get(2), s.get(3))
                .transpose(0, 2, 1, 3, 4)
                .reshape(n, c, s.get(2), s.get(3));
    }

    /** Appends zero channels to [N, C, H, W] so that it has {@code channels} channels. */
    static NDArray zeroPadChannels(NDArray x, long channels) {
        Shape s = x.getShape();
        if (s.get(1) == channels) {
            return x;
        }
        NDArray zeros = x.getManager().zeros(new Shape(s.get(0), channels - s.get(1), s.get(2), s.get(3)),
                x.getDataType(), x.getDevice());
        return x.concat(zeros, 1);
    }
}
