package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/**
 * Counts the multiply-accumulates of the convolutions and fully connected layers that run on this
 * thread while {@link #count} is active: a convolution with output [N, out, H', W'] and weight
 * [out, in/groups, k, k] does {@code N out H' W' (in/groups) k k}, a linear layer [N, in] to
 * [N, out] does {@code N in out}. Batch norm, activations, pooling and element-wise ops are not
 * counted (a few percent of a ResNet's arithmetic). Outside {@link #count} it costs one
 * thread-local read per layer call.
 */
public final class MacCounter {
    private static final ThreadLocal<long[]> ACTIVE = new ThreadLocal<>();

    private MacCounter() {
    }

    /** The MACs of the counted layers that {@code work} runs on this thread. */
    public static long count(Runnable work) {
        long[] before = ACTIVE.get();
        long[] total = {0};
        ACTIVE.set(total);
        try {
            work.run();
        } finally {
            ACTIVE.set(before);
        }
        if (before != null) {
            before[0] += total[0];
        }
        return total[0];
    }

    /**
     * Adds the MACs of a layer with output {@code out} and weight {@code weight} [out, ...]: each
     * output value takes {@code weight.size / out} multiply-accumulates.
     */
    static void add(NDArray out, NDArray weight) {
        long[] total = ACTIVE.get();
        if (total != null) {
            ai.djl.ndarray.types.Shape w = weight.getShape();
            total[0] += out.getShape().size() * (w.size() / w.get(0));
        }
    }
}
