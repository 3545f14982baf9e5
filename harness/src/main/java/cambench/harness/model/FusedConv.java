package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

/**
 * A convolution with its BatchNorm folded in, weight prepacked for {@link OneDnnKernel}
 * ({@link Conv2d#fuse}); valid until the next training step changes the weights.
 *
 * @param packedWeight folded weight in oneDNN's blocked layout
 * @param bias folded bias [out] (dense)
 * @param padding zero padding on each side
 * @param stride stride
 * @param groups channel groups
 */
record FusedConv(NDArray packedWeight, NDArray bias, int padding, int stride, int groups) {
    /** Applies it to a blocked-layout {@code x}, then ReLU when {@code relu}. */
    NDArray apply(OneDnnKernel kernel, NDManager out, NDArray x, boolean relu) {
        return kernel.conv(out, x, packedWeight, bias, padding, stride, groups, relu);
    }
}
