package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/** One unit of a staged backbone (a residual block, a dense layer, a pooling step): [N, C, H, W] in, out. */
@FunctionalInterface
interface Block {

    /** Applies the unit; {@code training} switches BatchNorm batch statistics and dropout. */
    NDArray forward(NDArray x, boolean training);

    /** The unit that returns its input unchanged. */
    static Block identity() {
        return (x, training) -> x;
    }
}
