package cambench.harness.data;

/**
 * Resamples uint8 image planes [C,H,W] with Pillow's antialiased bilinear filter in its 8-bit
 * fixed-point arithmetic, so that resizes and resized crops agree with
 * {@code PIL.Image.resize(size, BILINEAR, box)} (the path torchvision takes for PIL images).
 *
 * <p>One axis is described by {@link Axis}: output pixel u reads the source around the
 * continuous coordinate {@code center(u) = in0 + (sign*u + shift + 0.5) * scale} (pixel k covers
 * [k, k+1)). The filter is a triangle widened by {@code max(|scale|, 1)}; its weights are
 * normalised, rounded to 22 fraction bits and the sum is rounded and clipped to 0..255 after the
 * horizontal pass and again after the vertical pass, as Pillow's {@code Resample.c} does. With
 * |scale| = 1 and half-integer centres the filter picks exactly one pixel, so crops, flips and
 * padding are exact copies; taps outside the image are dropped (a pixel with none reads 0).
 */
final class PilResample {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResample() {
    }

    /** Filter taps of one axis: output u sums {@code coef[u*maxLen + k] * src[start[u] + k]}, k < len[u]. */
    static final class Axis {
        final int[] start;
        final int[] len;
        final int[] coef;
        final int maxLen;

        private Axis(int[] start, int[] len, int[] coef, int maxLen) {
            this.start = start;
            this.len = len;
            this.coef = coef;
            this.maxLen = maxLen;
        }

        /** Smallest source index read, or 0 when no tap reads anything. */
        int first() {
            int lo = Integer.MAX_VALUE;
            for (int u = 0; u < start.length; u++) {
                if (len[u] > 0) {
                    lo = Math.min(lo, start[u]);
                }
            }
            return lo == Integer.MAX_VALUE ? 0 : lo;
        }

        /** One past the largest source index read (>= first()). */
        int end() {
            int hi = 0;
            for (int u = 0; u < start.length; u++) {
                if (len[u] > 0) {
                    hi = Math.max(hi, start[u] + len[u]);
                }
            }
            return Math.max(hi, first());
        }

        /**
         * Taps for {@code out} outputs reading source pixels [from, to) only, centres
         * {@code in0 + (sign*u + shift + 0.5) * scale} (Pillow's precompute_coeffs on the crop
         * [from, to), in the crop's own coordinates).
         */
        static Axis of(int from, int to, int out, double in0, double scale, int sign, int shift) {
            int in = to - from;
            double local = in0 - from;
            double filterScale = Math.max(Math.abs(scale), 1.0);
            double support = filterScale;
            int maxLen = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[out];
            int[] len = new int[out];
            int[] coef = new int[out * maxLen];
            double[] w = new double[maxLen];
            double ss = 1.0 / filterScale;
            for (int u = 0; u < out; u++) {
                double center = local + (sign * u + shift + 0.5) * scale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > in) {
                    xmax = in;
                }
                int n = Math.max(0, Math.min(xmax - xmin, maxLen));
                double total = 0;
                for (int k = 0; k < n; k++) {
                    double t = Math.abs((k + xmin - center + 0.5) * ss);
                    w[k] = t < 1.0 ? 1.0 - t : 0.0;
                    total += w[k];
                }
                for (int k = 0; k < n; k++) {
                    double v = total != 0.0 ? w[k] / total : w[k];
                    coef[u * maxLen + k] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                start[u] = from + Math.min(xmin, Math.max(in - 1, 0));
                len[u] = n;
            }
            return new Axis(start, len, coef, maxLen);
        }
    }

    /**
     * Resamples {@code src} [c,h,w] (from {@code srcOff}) to {@code dst} [c, ys.len, xs.len]:
     * horizontal pass to uint8 over the rows the vertical pass reads, then the vertical pass.
     */
    static void resample(byte[] src, int srcOff, int c, int h, int w, Axis ys, Axis xs, byte[] dst) {
        int outH = ys.start.length;
        int outW = xs.start.length;
        int r0 = ys.first();
        int r1 = Math.min(ys.end(), h);
        int rows = Math.max(0, r1 - r0);
        byte[] tmp = new byte[rows * outW];
        int[] sums = new int[outW];
        for (int ch = 0; ch < c; ch++) {
            int plane = srcOff + ch * h * w;
            for (int y = 0; y < rows; y++) {
                int row = plane + (r0 + y) * w;
                for (int x = 0; x < outW; x++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    int base = x * xs.maxLen;
                    int s = row + xs.start[x];
                    for (int k = 0; k < xs.len[x]; k++) {
                        acc += (src[s + k] & 0xFF) * xs.coef[base + k];
                    }
                    tmp[y * outW + x] = clip8(acc);
                }
            }
            int o = ch * outH * outW;
            for (int y = 0; y < outH; y++) {
                int base = y * ys.maxLen;
                int first = ys.start[y] - r0;
                java.util.Arrays.fill(sums, 1 << (PRECISION_BITS - 1));
                for (int k = 0; k < ys.len[y]; k++) {
                    int coef = ys.coef[base + k];
                    int row = (first + k) * outW;
                    for (int x = 0; x < outW; x++) {
                        sums[x] += (tmp[row + x] & 0xFF) * coef;
                    }
                }
                for (int x = 0; x < outW; x++) {
                    dst[o + y * outW + x] = clip8(sums[x]);
                }
            }
        }
    }

    private static byte clip8(int acc) {
        if (acc >= (1 << PRECISION_BITS << 8)) {
            return (byte) 255;
        }
        if (acc <= 0) {
            return 0;
        }
        return (byte) (acc >> PRECISION_BITS);
    }
}
