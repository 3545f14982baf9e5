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
     * Min-max normalisation of each row (maps of fewer than 4 positions are refused: one position
     * normalises to 0 whatever the image).: {@code (A - min) / (max - min + 1e-8)}. Min and max with
     * ties pass their gradient to the first tied position (arg-min / arg-max, then gather).
     *
     * @param maps [N, P]
     * @return [N, P]
     */
    public static NDArray minMax(NDArray maps) {
        long positions = maps.getShape().get(1);
        if (positions < 4) {
            throw new UserException("the feature map has " + positions + " position(s); a CAM needs at least 2x2, since"
                    + " min-max normalisation of a 1x1 map is always 0 (use a larger input or a model that keeps a"
                    + " larger last feature map)");
        }
        NDArray min = first(maps, maps.argMin(1));
        NDArray max = first(maps, maps.argMax(1));
        return maps.sub(min).div(max.sub(min).add(MM_EPS));
    }

    private static NDArray first(NDArray maps, NDArray index) {
        return maps.gather(index.reshape(-1, 1), 1);
    }
}
