package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.List;
import java.util.Optional;

/**
 * A block on the oneDNN evaluation path ({@link Block#fuse}): blocked-layout activations in and out,
 * weights folded and packed when it was made.
 */
@FunctionalInterface
interface FusedBlock {
    /** The block that passes its input on. */
    FusedBlock IDENTITY = (x, out) -> x;

    /** Applies the block; results and temporaries go to {@code out}. */
    NDArray apply(NDArray x, NDManager out);

    /**
     * A whole backbone body as a plan: the images into the blocked layout, this block, the feature
     * map back to dense.
     */
    default InferencePlan asPlan(OneDnnKernel kernel) {
        return (x, out) -> kernel.toDense(out, apply(kernel.toOneDnn(out, x), out));
    }

    /**
     * {@code start}, then each of {@code blocks} in order; empty as soon as one of them has no fused
     * form (then nothing after it is prepared).
     */
    static Optional<FusedBlock> chain(Optional<FusedBlock> start, List<? extends Block> blocks, OneDnnKernel kernel,
            NDManager manager) {
        Optional<FusedBlock> body = start;
        for (Block block : blocks) {
            body = body.flatMap(b -> block.fuse(kernel, manager).map(b::then));
        }
        return body;
    }

    /** This block, then {@code next}. */
    default FusedBlock then(FusedBlock next) {
        return (x, out) -> next.apply(apply(x, out), out);
    }
}
