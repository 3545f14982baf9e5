package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

/** One unit of a staged backbone (a residual block, a dense layer, a pooling step): [N, C, H, W] in, out. */
@FunctionalInterface
interface Block {

    /** Applies the unit; {@code training} switches BatchNorm batch statistics and dropout. */
    NDArray forward(NDArray x, boolean training);

    /**
     * This unit on the oneDNN evaluation path with its current weights ({@link InferencePlan}); empty
     * when it has none, and then the whole backbone evaluates eagerly. Empty by default.
     *
     * @param kernel the oneDNN ops
     * @param manager where folded, packed weights go
     */
    default Optional<FusedBlock> fuse(OneDnnKernel kernel, NDManager manager) {
        return Optional.empty();
    }

    /** The unit that returns its input unchanged. */
    static Block identity() {
        return new Block() {
            @Override
            public NDArray forward(NDArray x, boolean training) {
                return x;
            }

            @Override
            public Optional<FusedBlock> fuse(OneDnnKernel kernel, NDManager manager) {
                return Optional.of(FusedBlock.IDENTITY);
            }
        };
    }
}
