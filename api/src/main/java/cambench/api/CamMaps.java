package cambench.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Class activation maps and their normalisation (docs/losses.md, notation), shared by
 * CAM-loss, CCM and any plugin. All maps are returned flattened to [N, H*W].
 */
public final class CamMaps {
    /** The epsilon of min-max normalisation. */
    public static final float MM_EPS = 1e-8f;
    /** The fewest positions (H x W) a map must have for {@link #minMax} outside {@link #acceptDegenerate()}: 2x2. */
    public static final int MIN_POSITIONS = 4;
    private static final ThreadLocal<DegenerateMaps> ACCEPTED = new ThreadLocal<>();

    private CamMaps() {
    }

    /** CAAM(n) = sum_c f[n, c]: [N, C, H, W] to [N, H*W]. */
    public static NDArray caam(NDArray f) {
        Shape s = f.getShape();
        return f.reshape(s.get(0), s.get(1), -1).sum(new int[] {1});
    }

    /**
     * The CAM of one class per sample: {@code sum_c w[n, c] f[n, c]}.
     *
     * @param f feature map [N, C, H, W]
     * @param rows per-sample class weights [N, C] (e.g. {@code oneHot.matMul(W)})
     * @return [N, H*W]
     */
    public static NDArray camOf(NDArray f, NDArray rows) {
        Shape s = f.getShape();
        NDArray flat = f.reshape(s.get(0), s.get(1), -1);
        return rows.expandDims(1).batchMatMul(flat).squeeze(1);
    }

    /**
     * The CAMs of all K classes: {@code W f} per sample.
     *
     * @param f feature map [N, C, H, W]
     * @param weight [K, C]
     * @return [N, K, H, W]
     */
    public static NDArray allCams(NDArray f, NDArray weight) {
        Shape s = f.getShape();
        NDArray flat = f.reshape(s.get(0), s.get(1), -1);
        return weight.matMul(flat).reshape(s.get(0), weight.getShape().get(0), s.get(2), s.get(3));
    }

    /**
     * Min-max normalisation of each row: {@code (A - min) / (max - min + 1e-8)}. Min and max with
     * ties pass their gradient to the first tied position (arg-min / arg-max, then gather).
     *
     * <p>A map of fewer than {@link #MIN_POSITIONS} positions (e.g. a 1x1 map) is refused with a
     * {@link UserException}, since one position normalises to 0 whatever the image, unless the
     * calling thread has opened {@link #acceptDegenerate()}: then it is normalised as any other
     * (a 1x1 map gives 0) and noted there.
     *
     * @param maps [N, P]
     * @return [N, P]
     */
    public static NDArray minMax(NDArray maps) {
        long positions = maps.getShape().get(1);
        if (positions < MIN_POSITIONS) {
            DegenerateMaps accepted = ACCEPTED.get();
            if (accepted == null) {
                throw new UserException("the feature map has " + positions + " position(s); a CAM needs at least"
                        + " 2x2, since min-max normalisation of a 1x1 map is always 0 (use a larger input or a model"
                        + " that keeps a larger last feature map)");
            }
            accepted.note(positions);
        }
        NDArray min = first(maps, maps.argMin(1));
        NDArray max = first(maps, maps.argMax(1));
        return maps.sub(min).div(max.sub(min).add(MM_EPS));
    }

    /**
     * Lets {@link #minMax} normalise maps of fewer than {@link #MIN_POSITIONS} positions on this
     * thread until the returned scope is closed; for tools that check the maths of an objective on
     * given tensors ({@code cambench loss-check}), where such a map has a well-defined value.
     * Training never opens it, so a network whose maps are that small is refused before its first
     * step. Scopes do not nest.
     *
     * @throws IllegalStateException when this thread has a scope open already
     */
    public static DegenerateMaps acceptDegenerate() {
        if (ACCEPTED.get() != null) {
            throw new IllegalStateException("a DegenerateMaps scope is open on this thread already");
        }
        DegenerateMaps scope = new DegenerateMaps();
        ACCEPTED.set(scope);
        return scope;
    }

    /** The scope of {@link #acceptDegenerate()}: which degenerate maps were normalised while it was open. */
    public static final class DegenerateMaps implements AutoCloseable {
        private long smallest = Long.MAX_VALUE;

        private DegenerateMaps() {
        }

        private void note(long positions) {
            smallest = Math.min(smallest, positions);
        }

        /** Whether a map of fewer than {@link #MIN_POSITIONS} positions was normalised. */
        public boolean seen() {
            return smallest != Long.MAX_VALUE;
        }

        /** The fewest positions of a normalised map (1 for a 1x1 map); 0 when none was degenerate. */
        public long smallestPositions() {
            return seen() ? smallest : 0;
        }

        /** Ends the scope: {@link #minMax} refuses degenerate maps on this thread again. */
        @Override
        public void close() {
            ACCEPTED.remove();
        }
    }

    private static NDArray first(NDArray maps, NDArray index) {
        return maps.gather(index.reshape(-1, 1), 1);
    }
}
