package cambench.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic of an array with a constant, through a 0-d operand whose memory libtorch owns. Use these
 * instead of DJL's {@code Number} overloads ({@code x.mul(0.5f)}, {@code x.div(t)}, {@code x.pow(2)},
 * {@code x.maximum(eps)}, {@code x.minimum(c)} and their in-place forms) on anything that can carry a
 * gradient.
 *
 * <p>Why: DJL 0.33 turns the number into a tensor over a Java direct buffer (libtorch's
 * {@code from_blob}, which does not copy) and closes that tensor's Java wrapper as soon as the op
 * returns. For mul, div, pow, maximum and minimum, autograd keeps the operand for the backward pass;
 * once the garbage collector has freed the buffer, which may happen at any moment in between, the
 * backward pass reads freed memory and the gradients are garbage: silently wrong, huge or NaN, and
 * different from run to run, since it depends on when the collector ran. This is the cause of the
 * rare, non-reproducible training blow-ups seen before (docs/reproducibility.md). The operand made
 * here is allocated by libtorch, so autograd's reference keeps it alive.
 *
 * <p>The value is rounded to the array's type exactly as DJL's overloads round a {@code float}, so
 * results are bit-identical to theirs whenever theirs were right.
 */
public final class Scalars {
    private Scalars() {
    }

    /**
     * A 0-d array holding {@code value} in {@code like}'s type, on its manager and device, whose
     * memory libtorch owns (safe to keep in an autograd graph after its wrapper is closed).
     */
    public static NDArray of(NDArray like, double value) {
        DataType type = like.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        if (type == DataType.FLOAT32) {
            return like.getManager().full(new Shape(), (float) value, type, like.getDevice());
        }
        try (NDArray javaOwned = like.getManager().create(value)) {
            return javaOwned.duplicate(); // a libtorch-allocated copy
        }
    }

    /** {@code x * c}. */
    public static NDArray times(NDArray x, double c) {
        return x.mul(of(x, c));
    }

    /** {@code x / c}. */
    public static NDArray over(NDArray x, double c) {
        return x.div(of(x, c));
    }

    /** {@code x ^ c}, element-wise. */
    public static NDArray power(NDArray x, double c) {
        return x.pow(of(x, c));
    }

    /** {@code max(x, c)}, element-wise. */
    public static NDArray atLeast(NDArray x, double c) {
        return x.maximum(of(x, c));
    }

    /** {@code min(x, c)}, element-wise. */
    public static NDArray atMost(NDArray x, double c) {
        return x.minimum(of(x, c));
    }

    /** {@code x *= c} in place; returns {@code x}. */
    public static NDArray timesInPlace(NDArray x, double c) {
        return x.muli(of(x, c));
    }
}
