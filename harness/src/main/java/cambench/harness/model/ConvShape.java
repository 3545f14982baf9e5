package cambench.harness.model;

import java.util.Locale;

/**
 * The configuration of one 2-D convolution layer, as the engine's kernels see it: weight
 * [out, in / groups, kernel, kernel], square stride and zero padding, dilation 1.
 *
 * @param in input channels
 * @param out output channels
 * @param groups channel groups (1 dense, {@code in} depthwise)
 * @param kernel kernel side
 * @param stride stride
 * @param padding zero padding on each side
 */
public record ConvShape(int in, int out, int groups, int kernel, int stride, int padding) {
    /** Checks that the channels divide into the groups and that the sizes are positive. */
    public ConvShape {
        if (in <= 0 || out <= 0 || groups <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("convolution sizes must be positive: " + in + "->" + out + " groups "
                    + groups + " kernel " + kernel + " stride " + stride + " padding " + padding);
        }
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("channels " + in + "->" + out + " not divisible by groups " + groups);
        }
    }

    /** Input channels per group. */
    public int inPerGroup() {
        return in / groups;
    }

    /** Output channels per group. */
    public int outPerGroup() {
        return out / groups;
    }

    /** The output side for an input side: {@code (side + 2 padding - kernel) / stride + 1}. */
    public int outputSide(int side) {
        return (side + 2 * padding - kernel) / stride + 1;
    }

    /** E.g. {@code conv 16->4 3x3 stride 1 pad 1} ({@code groups G} appended when not 1). */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "conv %d->%d %dx%d stride %d pad %d%s", in, out, kernel, kernel, stride,
                padding, groups == 1 ? "" : " groups " + groups);
    }
}
