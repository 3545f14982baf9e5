package cambench.harness.data;

/**
 * Resizes an image so its shorter side is S and center-crops it to SxS (torchvision's
 * {@code Resize(S)} + {@code CenterCrop(S)}), with PIL's antialiased bilinear (triangle) filter.
 *
 * <p>Input: packed 0xRRGGBB ints [H,W]; output: uint8 [C,S,S] with C = 3 (R, G, B planes) or
 * C = 1 (luma 0.299R + 0.587G + 0.114B, as PIL's "L"). The longer side becomes
 * {@code floor(S * long / short)} as in torchvision; the crop starts at {@code (long' - S) / 2}
 * (floor). Downscaling widens the filter by the scale factor, so large photos do not alias.
 */
final class SquareResize {
    private SquareResize() {
    }

    /** Returns [channels,S,S] uint8 for the [h,w] packed RGB {@code argb}. */
    static byte[] apply(int[] argb, int h, int w, int size, int channels) {
        int scaledH = h <= w ? size : (int) ((long) size * h / w);
        int scaledW = w <= h ? size : (int) ((long) size * w / h);
        Taps cols = Taps.of(w, scaledW, (scaledW - size) / 2, size);
        Taps rows = Taps.of(h, scaledH, (scaledH - size) / 2, size);
        float[][] planes = new float[3][];
        for (int c = 0; c < 3; c++) {
            planes[c] = resizePlane(argb, 16 - 8 * c, h, w, rows, cols, size);
        }
        byte[] out = new byte[channels * size * size];
        for (int p = 0; p < size * size; p++) {
            if (channels == 3) {
                for (int c = 0; c < 3; c++) {
                    out[c * size * size + p] = clampByte(planes[c][p]);
                }
            } else {
                out[p] = clampByte(0.299f * planes[0][p] + 0.587f * planes[1][p] + 0.114f * planes[2][p]);
            }
        }
        return out;
    }

    private static float[] resizePlane(int[] argb, int shift, int h, int w, Taps rows, Taps cols, int size) {
        float[] tmp = new float[h * size];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < size; x++) {
                float acc = 0;
                for (int k = 0; k < cols.len[x]; k++) {
                    acc += cols.weight[x * cols.maxLen + k] * ((argb[y * w + cols.start[x] + k] >> shift) & 0xFF);
                }
                tmp[y * size + x] = acc;
            }
        }
        float[] out = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int k = 0; k < rows.len[y]; k++) {
                float wgt = rows.weight[y * rows.maxLen + k];
                int src = (rows.start[y] + k) * size;
                for (int x = 0; x < size; x++) {
                    out[y * size + x] += wgt * tmp[src + x];
                }
            }
        }
        return out;
    }

    private static byte clampByte(float v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Filter taps for {@code count} outputs starting at {@code first} of an in -> scaled resize. */
    private static final class Taps {
        final int[] start;
        final int[] len;
        final float[] weight;
        final int maxLen;

        private Taps(int[] start, int[] len, float[] weight, int maxLen) {
            this.start = start;
            this.len = len;
            this.weight = weight;
            this.maxLen = maxLen;
        }

        static Taps of(int in, int scaled, int first, int count) {
            double scale = (double) in / scaled;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            int maxLen = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[count];
            int[] len = new int[count];
            float[] weight = new float[count * maxLen];
            for (int i = 0; i < count; i++) {
                double center = (first + i + 0.5) * scale;
                int lo = Math.max(0, (int) (center - support + 0.5));
                int hi = Math.min(in, (int) (center + support + 0.5));
                double total = 0;
                int n = Math.min(hi - lo, maxLen);
                for (int k = 0; k < n; k++) {
                    double t = Math.max(0, 1 - Math.abs((lo + k - center + 0.5) / filterScale));
                    weight[i * maxLen + k] = (float) t;
                    total += t;
                }
                for (int k = 0; k < n; k++) {
                    weight[i * maxLen + k] /= (float) total;
                }
                start[i] = lo;
                len[i] = n;
            }
            return new Taps(start, len, weight, maxLen);
        }
    }
}
