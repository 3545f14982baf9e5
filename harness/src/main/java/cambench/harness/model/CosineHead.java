package cambench.harness.model;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import cambench.harness.fewshot.FineTuneHead;

/**
 * Baseline++'s cosine classifier (CloserLook's distLinear): a weight-normalised linear layer
 * without bias on L2-normalised features, {@code s_k = scale * <w_k, z / (|z| + 1e-5)>} with
 * {@code w_k = g_k v_k / |v_k|}; v [K, C] starts as PyTorch's linear default, g [K] as |v_k|;
 * scale = {@link FineTuneHead#cosineScale} (2 for <= 200 classes, 10 above).
 *
 * <p>CAM with this head: {@link #camWeight()} is the unit-norm direction {@code w_k / |w_k|}
 * (scale, g and the feature norm left out), so {@code CAM_k = sum_c w_k[c] f[c] / |w_k|}; its
 * spatial mean is {@code |z| cos(w_k, z)}, i.e. proportional to the class score with a positive
 * per-image factor. Every CAM-based objective (CAM-loss, ...) gets this weight and no bias; as
 * CAM-loss normalises maps per image, the positive factors do not change it.
 */
public final class CosineHead implements ClassifierHead {
    private final NDArray v;
    private final NDArray g;
    private final double scale;

    /** Creates a K-way head on C features with CloserLook's scale for K classes ({@link FineTuneHead#cosineScale}). */
    public CosineHead(ParameterStore store, int channels, int classes) {
        this(store, channels, classes, FineTuneHead.cosineScale(classes));
    }

    /** Creates a K-way head on C features, parameters {@code fc.v} [K, C] and {@code fc.g} [K], logits times {@code scale}. */
    public CosineHead(ParameterStore store, int channels, int classes, double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("cosine scale must be > 0, got " + scale);
        }
        this.v = store.parameter("fc.v", new Shape(classes, channels), Init.linearDefault(channels));
        float[] values = v.toFloatArray();
        this.g = store.parameter("fc.g", new Shape(classes), (shape, random) -> {
            float[] norms = new float[classes];
            for (int k = 0; k < classes; k++) {
                double s = 0;
                for (int c = 0; c < channels; c++) {
                    s += (double) values[k * channels + c] * values[k * channels + c];
                }
                norms[k] = (float) Math.sqrt(s);
            }
            return norms;
        });
        this.scale = scale;
    }

    /** The scale factor of the logits. */
    public double scale() {
        return scale;
    }

    /** The effective weight {@code g_k v_k / |v_k|} [K, C]. */
    public NDArray weight() {
        NDArray norms = v.mul(v).sum(new int[] {1}, true).sqrt();
        return v.div(norms).mul(g.expandDims(1));
    }

    @Override
    public NDArray logits(NDArray pooled) {
        NDArray z = pooled.div(pooled.mul(pooled).sum(new int[] {1}, true).sqrt().add(FineTuneHead.FEATURE_EPS));
        NDArray w = weight();
        NDArray logits = z.matMul(w.transpose());
        MacCounter.add(logits, w);
        return Scalars.times(logits, scale);
    }

    @Override
    public NDArray camWeight() {
        NDArray w = weight();
        return w.div(w.mul(w).sum(new int[] {1}, true).sqrt());
    }

    @Override
    public NDArray bias() {
        return null;
    }
}
