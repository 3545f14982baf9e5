package cambench.harness.data;

import java.util.Arrays;

/**
 * Per-channel normalisation {@code x = (p / 255 - mean[c]) / std[c]} of uint8 pixels p.
 *
 * <p>Holds one mean and std per channel, or a single pair that applies to every channel.
 * {@link #identity()} maps pixels to [0,1]. Immutable.
 */
public final class Normalization {
    /** torchvision's ImageNet statistics, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). */
    public static final Normalization IMAGENET = new Normalization(new float[] {0.485f, 0.456f, 0.406f},
            new float[] {0.229f, 0.224f, 0.225f});

    private final float[] mean;
    private final float[] std;

    private Normalization(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite: " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Normalisation with the given per-channel (or single) mean and std, in units of [0,1] pixels. */
    public static Normalization of(float[] mean, float[] std) {
        return new Normalization(mean, std);
    }

    /** Mean 0, std 1: pixels become p / 255 in [0,1]. */
    public static Normalization identity() {
        return new Normalization(new float[] {0f}, new float[] {1f});
    }

    /**
     * Mean and std of each channel over all pixels of {@code set} (population std); a constant
     * channel gets std 1 instead of 0. A streamed set is not read: 3-channel streamed sets get
     * {@link #IMAGENET}, as the papers' code uses for ImageNet, CUB, Dogs and mini-ImageNet.
     */
    public static Normalization of(ImageSet set) {
        if (set.isStreamed()) {
            return set.channels() == 3 ? IMAGENET : identity();
        }
        int c = set.channels();
        int plane = set.height() * set.width();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        PixelStore px = set.pixels();
        for (int i = 0; i < set.count(); i++) {
            byte[] chunk = px.chunk(i);
            int off = px.offset(i);
            for (int ch = 0; ch < c; ch++) {
                for (int p = off + ch * plane, end = p + plane; p < end; p++) {
                    int v = chunk[p] & 0xFF;
                    sum[ch] += v;
                    sumSq[ch] += v * v;
                }
            }
        }
        float[] mean = new float[c];
        float[] std = new float[c];
        double n = Math.max(1.0, (double) set.count() * plane);
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = Math.max(0, sumSq[ch] / n - m * m);
            mean[ch] = (float) (m / 255);
            std[ch] = var > 0 ? (float) (Math.sqrt(var) / 255) : 1f;
        }
        return new Normalization(mean, std);
    }

    /** Channels this normalisation is specified for (1 means "every channel"). */
    public int channels() {
        return mean.length;
    }

    /** Mean of channel {@code c}, in [0,1] pixel units. */
    public float mean(int c) {
        return mean[mean.length == 1 ? 0 : c];
    }

    /** Std of channel {@code c}, in [0,1] pixel units. */
    public float std(int c) {
        return std[std.length == 1 ? 0 : c];
    }

    /** True if it can normalise images of {@code c} channels (it has 1 or c entries). */
    public boolean fits(int c) {
        return mean.length == 1 || mean.length == c;
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
