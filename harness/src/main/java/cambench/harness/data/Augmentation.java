package cambench.harness.data;

import cambench.api.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns images of an {@link ImageSet} into a normalised float batch [B,C,outH,outW], applying a
 * pipeline of seeded geometric ops parsed from a compact spec.
 *
 * <p>Spec: comma-separated ops applied in order, or {@code none}:
 * <ul>
 *   <li>{@code crop<S>[:<pad>]}: zero-pad by pad (default 0) and take a random SxS crop (CIFAR:
 *       {@code crop32:4});</li>
 *   <li>{@code rcrop<S>[:<pad>]}: the same with reflect padding (the padded border mirrors the
 *       image without repeating its edge, as PyTorch's {@code padding_mode='reflect'}; ISDA's CIFAR
 *       script); the pad must be smaller than the image;</li>
 *   <li>{@code flip[:<p>]}: mirror horizontally with probability p (default 0.5);</li>
 *   <li>{@code rrc<S>[:<minScale>]}: random resized crop to SxS as torchvision's
 *       RandomResizedCrop: area fraction in (minScale, 1) (default 0.08), aspect ratio in
 *       (3/4, 4/3) log-uniform, 10 tries then a center crop, bilinear;</li>
 *   <li>{@code center<S>}: center SxS crop (offset {@code (in - S) / 2}, floor);</li>
 *   <li>{@code resize<S>}: bilinear resize of the whole image to SxS;</li>
 *   <li>{@code short<S>}: resize so the shorter side is S (torchvision's {@code Resize(S)});</li>
 *   <li>{@code jitter[:s]}: CloserLook's ImageJitter, brightness, contrast and colour factors
 *       uniform in [1 - s, 1 + s] (default 0.4).</li>
 *   <li>{@code cjitter[:s]}: CutMix's ImageNet colour jitter ({@code utils.ColorJitter} of
 *       CutMix-PyTorch, from convNet.pytorch), on the [0, 1] float image after the geometry:
 *       brightness, contrast and saturation in a random order, each {@code x + a (g - x)} with
 *       {@code a} uniform in [-s, s) (default 0.4) and {@code g} black, the mean grey level, the
 *       pixel's grey level (0.299 R + 0.587 G + 0.114 B); not clipped;</li>
 *   <li>{@code lighting[:std]}: AlexNet-style PCA lighting noise as CutMix's {@code utils.Lighting}:
 *       per image {@code alpha ~ N(0, std^2)} (default 0.1) for each of the three principal
 *       components, the offset {@code sum_j eigvec[i][j] alpha[j] eigval[j]} added to channel i
 *       (ImageNet's eigenvalues and eigenvectors as CutMix's {@code train.py}); RGB only.</li>
 * </ul>
 * The ops compose into one axis-aligned map from output to source pixels per sample. If it is an
 * integer shift (crop, center, flip, none) pixels are copied exactly, else they are sampled
 * bilinearly with half-pixel centres (align_corners = false, no antialiasing), clamped at the
 * border. Source pixels outside the image (padding) are 0 before normalisation. Output
 * {@code (p / 255 - mean[c]) / std[c]}. Sample k draws from its own {@code SplittableRandom}
 * seeded with {@code seeds[k]} (see {@link #sampleSeed}), so results do not depend on threads or
 * batch composition. Immutable and thread-safe.
 *
 * <p>Images streamed from files (and specs with {@code short} or {@code jitter}) take the
 * full-image path {@link #applyFull} instead: the ops apply to the decoded image at its own size
 * with Pillow's antialiased bilinear filter, matching torchvision on PIL images (e.g.
 * {@code rrc224,flip} for ImageNet training, {@code short256,center224} for its test,
 * {@code rrc84,jitter,flip} and {@code resize96,center84} for CloserLook, {@code resize600,crop448,flip}
 * and {@code resize600,center448} for CUB and Stanford Dogs).
 */
public final class Augmentation {
    private static final Pattern OP =
            Pattern.compile("(rcrop|crop|rrc|center|resize|short|flip|jitter|cjitter|lighting)(\\d*)(?::([0-9.]+))?");
    private static final String GRAMMAR = "crop<S>[:pad], rcrop<S>[:pad], flip[:p], rrc<S>[:minScale], center<S>,"
            + " resize<S>, short<S>, jitter[:strength], cjitter[:strength], lighting[:std] or none";
    /** ImageNet's RGB principal-component eigenvalues, as CutMix's train.py (from fb.resnet.torch). */
    static final float[] EIGVAL = {0.2175f, 0.0188f, 0.0045f};
    /** ImageNet's RGB principal components (columns), as CutMix's train.py. */
    static final float[][] EIGVEC = {
        {-0.5675f, 0.7192f, 0.4009f},
        {-0.5808f, -0.0045f, -0.8140f},
        {-0.5836f, -0.6948f, 0.4203f},
    };
    private static final long SEED_DOMAIN = 0x4A55_6D00_0000_0001L;

    private final String spec;
    private final List<Op> ops;
    private final Normalization norm;

    private Augmentation(String spec, List<Op> ops, Normalization norm) {
        this.spec = spec;
        this.ops = ops;
        this.norm = norm;
    }

    /** Parses {@code spec} with {@link Normalization#identity()} (outputs in [0,1]). */
    public static Augmentation parse(String spec) {
        return parse(spec, Normalization.identity());
    }

    /**
     * Parses {@code spec}, e.g. {@code "crop32:4,flip"}, {@code "rrc84,flip"}, {@code "center84"},
     * {@code "none"}.
     *
     * @throws UserException naming the op if one is unknown or malformed
     */
    public static Augmentation parse(String spec, Normalization norm) {
        String s = spec == null ? "" : spec.strip();
        List<Op> ops = new ArrayList<>();
        if (!s.equals("none")) {
            for (String token : s.split(",", -1)) {
                ops.add(parseOp(s, token.strip()));
            }
        }
        return new Augmentation(s, List.copyOf(ops), norm);
    }

    private static Op parseOp(String spec, String token) {
        Matcher m = OP.matcher(token);
        boolean sized = m.matches() && !List.of("flip", "jitter", "cjitter", "lighting").contains(m.group(1));
        if (!m.matches() || sized == m.group(2).isEmpty() || (m.group(3) != null
                && (m.group(1).equals("center") || m.group(1).equals("resize") || m.group(1).equals("short")))) {
            throw new UserException("augmentation '" + spec + "': unknown op '" + token + "', expected " + GRAMMAR);
        }
        int size = sized ? Integer.parseInt(m.group(2)) : 0;
        double arg = 0;
        if (m.group(3) != null) {
            try {
                arg = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                throw new UserException("augmentation '" + spec + "': bad number in '" + token + "'");
            }
        }
        boolean hasArg = m.group(3) != null;
        String what = m.group(1);
        if ((sized && size <= 0) || (List.of("flip", "jitter", "cjitter").contains(what) && (arg < 0 || arg > 1))
                || (what.equals("rrc") && hasArg && !(arg > 0 && arg <= 1))
                || (what.endsWith("crop") && arg != Math.rint(arg))) {
            throw new UserException("augmentation '" + spec + "': bad value in '" + token + "', expected " + GRAMMAR);
        }
        switch (what) {
            case "crop":
                return new PadCrop(size, (int) arg, false);
            case "rcrop":
                return new PadCrop(size, (int) arg, true);
            case "flip":
                return new Flip(hasArg ? arg : 0.5);
            case "rrc":
                return new ResizedCrop(size, hasArg ? arg : 0.08);
            case "center":
                return new CenterCrop(size);
            case "short":
                return new ShortSide(size);
            case "jitter":
                return new Jitter(hasArg ? arg : 0.4);
            case "cjitter":
                return new ColourJitter(hasArg ? arg : 0.4);
            case "lighting":
                return new Lighting(hasArg ? arg : 0.1);
            default:
                return new Resize(size);
        }
    }

    /**
     * torchvision's {@code RandomResizedCrop.get_params} (scale (minScale, 1), ratio (3/4, 4/3)) on
     * an h x w image: {top, left, height, width}; the draws of {@code rrc}.
     */
    static int[] randomResizedBox(int h, int w, SplittableRandom r, double minScale) {
        return new ResizedCrop(1, minScale).box(h, w, r);
    }

    /** The seed of the sample at {@code position} of epoch {@code epoch} of a run seeded {@code seed}. */
    public static long sampleSeed(long seed, int epoch, int position) {
        return Seeds.mix(seed ^ SEED_DOMAIN, epoch, position);
    }

    /** The spec as parsed (stripped). */
    public String spec() {
        return spec;
    }

    /** The normalisation applied after the ops. */
    public Normalization normalization() {
        return norm;
    }

    /**
     * Output shape [C, outH, outW] for input images [C,H,W].
     *
     * @throws UserException if an op cannot apply, e.g. center84 on 32x32 images
     */
    public int[] outputShape(int channels, int height, int width) {
        if (!norm.fits(channels)) {
            throw new UserException("normalisation " + norm + " does not fit " + channels + "-channel images");
        }
        requireRgbForLighting(channels);
        int h = height;
        int w = width;
        for (Op op : ops) {
            int[] hw = op.outputSize(h, w);
            if (hw == null) {
                throw new UserException("augmentation '" + spec + "': " + op + " cannot apply to " + h + "x" + w
                        + " images");
            }
            h = hw[0];
            w = hw[1];
        }
        return new int[] {channels, h, w};
    }

    /**
     * Writes samples k = 0..count-1 (image {@code indices[k]}, seed {@code seeds[k]}) into
     * {@code out} at {@code k*C*outH*outW}.
     *
     * @param out at least count*C*outH*outW floats, [count,C,outH,outW]
     */
    public void apply(ImageSet set, int[] indices, long[] seeds, int count, float[] out) {
        int[] shape = outputShape(set.channels(), set.height(), set.width());
        if (needsFullPath()) {
            int c = set.channels();
            int sample = c * shape[1] * shape[2];
            for (int k = 0; k < count; k++) {
                int i = indices[k];
                if (!applyFull(set.pixels().chunk(i), set.pixels().offset(i), c, set.height(), set.width(), seeds[k],
                        out, k * sample, shape[1], shape[2])) {
                    throw new UserException("augmentation '" + spec + "' cannot apply to " + set);
                }
            }
            return;
        }
        new Worker(set, shape[1], shape[2]).run(indices, seeds, count, out);
    }

    /**
     * Whether the spec has ops ({@code short}, {@code jitter}) that only the full-image path
     * implements; in-memory sets then take that path too, with each stored image as the full image.
     */
    public boolean needsFullPath() {
        return ops.stream().anyMatch(o -> o instanceof ShortSide || o instanceof PixelOp);
    }

    private void requireRgbForLighting(int channels) {
        if (channels != 3 && ops.stream().anyMatch(o -> o instanceof Lighting)) {
            throw new UserException("augmentation '" + spec + "': lighting needs RGB images, these have " + channels
                    + " channel(s)");
        }
    }

    /**
     * Output shape [C, outH, outW] of the full-image path for an image [C,H,W]: as
     * {@link #outputShape}, except that a center crop larger than the image pads it with zeros
     * (torchvision's {@code CenterCrop}).
     *
     * @throws UserException if an op cannot apply, e.g. crop448 on a 300x300 image
     */
    public int[] fullOutputShape(int channels, int height, int width) {
        int[] hw = fullSize(height, width);
        requireRgbForLighting(channels);
        if (!norm.fits(channels) || hw == null) {
            throw new UserException("augmentation '" + spec + "' cannot apply to " + channels + "x" + height + "x"
                    + width + " images" + (norm.fits(channels) ? "" : " (normalisation " + norm + ")"));
        }
        return new int[] {channels, hw[0], hw[1]};
    }

    private int[] fullSize(int h, int w) {
        for (Op op : ops) {
            int[] hw = op.fullSize(h, w);
            if (hw == null) {
                return null;
            }
            h = hw[0];
            w = hw[1];
        }
        return new int[] {h, w};
    }

    /**
     * The full-image path: applies the ops to one decoded image of any size, {@code src} [C,H,W]
     * uint8 from {@code srcOff}, and writes the normalised sample [C,outH,outW] at
     * {@code out[outOff]}. Geometry composes into one resampling per axis with Pillow's
     * antialiased bilinear filter ({@link PilResample}): with at most one resizing op (rrc,
     * resize, short) the pixels equal torchvision's PIL pipeline; {@code jitter} then applies
     * CloserLook's brightness, contrast and colour enhancement (Pillow's ImageEnhance arithmetic).
     * Random draws are those of the in-memory path for the same seed.
     *
     * @return false (nothing written) if the ops give another size than outH x outW for this image
     */
    public boolean applyFull(byte[] src, int srcOff, int c, int h, int w, long seed, float[] out, int outOff,
            int outH, int outW) {
        int[] hw = fullSize(h, w);
        if (hw == null || hw[0] != outH || hw[1] != outW) {
            return false;
        }
        Full g = drawFull(h, w, seed);
        if (g.reflect) {
            throw new UserException("augmentation '" + spec + "': rcrop (reflect padding) applies only to in-memory"
                    + " sets of equal-size images; use crop or rrc on image folders");
        }
        byte[] px = new byte[c * outH * outW];
        PilResample.resample(src, srcOff, c, h, w, g.y.taps(h, outH), g.x.taps(w, outW), px);
        if (g.jitter != null) {
            jitter(px, c, outH * outW, g.jitter);
        }
        int plane = outH * outW;
        if (g.colourOrder != null || g.lighting != null) {
            float[] v = new float[c * plane];
            for (int i = 0; i < v.length; i++) {
                v[i] = (px[i] & 0xFF) / 255f;   // ToTensor
            }
            if (g.colourOrder != null) {
                colourJitter(v, c, plane, g.colourOrder, g.colourAlpha);
            }
            if (g.lighting != null) {
                requireRgbForLighting(c);
                addPerChannel(v, plane, lightingOffset(g.lighting));
            }
            for (int ch = 0; ch < c; ch++) {
                float mean = norm.mean(ch);
                float std = norm.std(ch);
                for (int p = 0, o = outOff + ch * plane; p < plane; p++, o++) {
                    out[o] = (v[ch * plane + p] - mean) / std;
                }
            }
            return true;
        }
        for (int ch = 0; ch < c; ch++) {
            float sc = 1f / (255f * norm.std(ch));
            float sh = -norm.mean(ch) / norm.std(ch);
            for (int p = 0, o = outOff + ch * plane; p < plane; p++, o++) {
                out[o] = (px[ch * plane + p] & 0xFF) * sc + sh;
            }
        }
        return true;
    }

    /** The composed full-image map and random draws of one sample of an h x w image seeded {@code seed}. */
    private Full drawFull(int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Full g = new Full();
        int ih = h;
        int iw = w;
        for (Op op : ops) {
            op.mapFull(g, ih, iw, r);
            int[] next = op.fullSize(ih, iw);
            ih = next[0];
            iw = next[1];
        }
        return g;
    }

    /** What {@link #applyFull} draws for spec {@code spec} on an h x w image seeded {@code seed} (tests). */
    static Full drawnFor(String spec, int h, int w, long seed) {
        return parse(spec).drawFull(h, w, seed);
    }

    /**
     * CloserLook's ImageJitter on uint8 planes [c, plane]: brightness, contrast, colour in that
     * order, each Pillow's {@code ImageEnhance} with factor f (a blend of a degenerate image and the
     * image: black; the mean grey level; the pixel's grey level), truncated to 0..255.
     */
    static void jitter(byte[] px, int c, int plane, float[] f) {
        for (int i = 0; i < c * plane; i++) {
            px[i] = (byte) blend(0, px[i] & 0xFF, f[0]);
        }
        long sum = 0;
        for (int p = 0; p < plane; p++) {
            sum += grey(px, c, plane, p);
        }
        int mean = (int) ((double) sum / plane + 0.5);
        for (int i = 0; i < c * plane; i++) {
            px[i] = (byte) blend(mean, px[i] & 0xFF, f[1]);
        }
        if (c == 3) {
            for (int p = 0; p < plane; p++) {
                int g = grey(px, c, plane, p);
                for (int ch = 0; ch < 3; ch++) {
                    px[ch * plane + p] = (byte) blend(g, px[ch * plane + p] & 0xFF, f[2]);
                }
            }
        }
    }

    /** The steps of {@code cjitter}, by index in {@link #colourJitter}'s order array. */
    static final int BRIGHTNESS = 0;
    static final int CONTRAST = 1;
    static final int SATURATION = 2;

    /**
     * CutMix's ColorJitter on float planes [c, plane] in [0, 1]: for k = 0, 1, 2 the step
     * {@code order[k]} ({@link #BRIGHTNESS}, {@link #CONTRAST}, {@link #SATURATION}) with weight
     * {@code alpha[k]}, each {@code x.lerp(g, a)} as torch computes it: brightness towards 0,
     * contrast towards the mean of the grey image, saturation towards each pixel's grey
     * ({@code 0.299 R + 0.587 G + 0.114 B}; the plane itself for one channel). No clipping.
     */
    static void colourJitter(float[] v, int c, int plane, int[] order, float[] alpha) {
        for (int k = 0; k < order.length; k++) {
            float a = alpha[k];
            switch (order[k]) {
                case BRIGHTNESS -> {
                    for (int i = 0; i < c * plane; i++) {
                        v[i] = lerp(v[i], 0f, a);
                    }
                }
                case CONTRAST -> {
                    float[] g = greyPlane(v, c, plane);
                    double sum = 0;
                    for (float x : g) {
                        sum += x;
                    }
                    float mean = (float) (sum / plane);
                    for (int i = 0; i < c * plane; i++) {
                        v[i] = lerp(v[i], mean, a);
                    }
                }
                case SATURATION -> {
                    float[] g = greyPlane(v, c, plane);
                    for (int ch = 0; ch < c; ch++) {
                        for (int p = 0; p < plane; p++) {
                            v[ch * plane + p] = lerp(v[ch * plane + p], g[p], a);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("colour jitter step " + order[k]);
            }
        }
    }

    /** torch's lerp of one value: {@code x + w (e - x)} for w < 0.5, else {@code e - (e - x)(1 - w)}. */
    static float lerp(float x, float e, float w) {
        return Math.abs(w) < 0.5f ? x + w * (e - x) : e - (e - x) * (1 - w);
    }

    /** CutMix's Grayscale of float planes: {@code 0.299 R + 0.587 G + 0.114 B} in float, in that order. */
    private static float[] greyPlane(float[] v, int c, int plane) {
        float[] g = new float[plane];
        for (int p = 0; p < plane; p++) {
            g[p] = c == 3 ? v[p] * 0.299f + 0.587f * v[plane + p] + 0.114f * v[2 * plane + p] : v[p];
        }
        return g;
    }

    /**
     * The RGB offset of PCA lighting for component weights {@code alpha}: channel i gets
     * {@code sum_j (EIGVEC[i][j] alpha[j]) EIGVAL[j]} in float, as CutMix's Lighting.
     */
    static float[] lightingOffset(float[] alpha) {
        float[] rgb = new float[3];
        for (int i = 0; i < 3; i++) {
            float sum = 0f;
            for (int j = 0; j < 3; j++) {
                sum += EIGVEC[i][j] * alpha[j] * EIGVAL[j];
            }
            rgb[i] = sum;
        }
        return rgb;
    }

    private static void addPerChannel(float[] v, int plane, float[] offset) {
        for (int ch = 0; ch < offset.length; ch++) {
            for (int p = 0; p < plane; p++) {
                v[ch * plane + p] += offset[ch];
            }
        }
    }

    /** Pillow's RGB -> L conversion (ITU-R 601-2 luma in 16-bit fixed point); identity for 1 channel. */
    private static int grey(byte[] px, int c, int plane, int p) {
        if (c != 3) {
            return px[p] & 0xFF;
        }
        return ((px[p] & 0xFF) * 19595 + (px[plane + p] & 0xFF) * 38470 + (px[2 * plane + p] & 0xFF) * 7471
                + 0x8000) >> 16;
    }

    /** Pillow's ImagingBlend of one value: deg + a * (v - deg) in float, truncated, clipped outside a in [0,1]. */
    static int blend(int deg, int v, float a) {
        float t = deg + a * (v - deg);
        if (a >= 0 && a <= 1) {
            return (int) t;
        }
        return t <= 0 ? 0 : t >= 255 ? 255 : (int) t;
    }

    @Override
    public String toString() {
        return spec + " (" + norm + ")";
    }

    /** Per-call scratch: the composed map and tap tables, reused across the samples of a batch. */
    private final class Worker {
        final ImageSet set;
        final int outH;
        final int outW;
        final float[] scale;
        final float[] shift;
        final int[] x0;
        final int[] x1;
        final float[] fx;
        final boolean[] validX;
        final int[] y0;
        final int[] y1;
        final float[] fy;
        final boolean[] validY;
        final int[] inH;
        final int[] inW;
        final Geometry g = new Geometry();

        Worker(ImageSet set, int outH, int outW) {
            this.set = set;
            this.outH = outH;
            this.outW = outW;
            inH = new int[ops.size()];
            inW = new int[ops.size()];
            int h = set.height();
            int w = set.width();
            for (int i = 0; i < ops.size(); i++) {
                inH[i] = h;
                inW[i] = w;
                int[] hw = ops.get(i).outputSize(h, w);
                h = hw[0];
                w = hw[1];
            }
            int c = set.channels();
            scale = new float[c];
            shift = new float[c];
            for (int ch = 0; ch < c; ch++) {
                scale[ch] = 1f / (255f * norm.std(ch));
                shift[ch] = -norm.mean(ch) / norm.std(ch);
            }
            x0 = new int[outW];
            x1 = new int[outW];
            fx = new float[outW];
            validX = new boolean[outW];
            y0 = new int[outH];
            y1 = new int[outH];
            fy = new float[outH];
            validY = new boolean[outH];
        }

        void run(int[] indices, long[] seeds, int count, float[] out) {
            int sampleFloats = set.channels() * outH * outW;
            for (int k = 0; k < count; k++) {
                SplittableRandom r = new SplittableRandom(seeds[k]);
                g.reset();
                for (int i = 0; i < ops.size(); i++) {
                    ops.get(i).map(g, inH[i], inW[i], r);
                }
                int index = indices[k];
                byte[] src = set.pixels().chunk(index);
                int off = set.pixels().offset(index);
                if (g.isIntegerShift()) {
                    copyShifted(src, off, out, k * sampleFloats);
                } else {
                    sampleBilinear(src, off, out, k * sampleFloats);
                }
            }
        }

        private void copyShifted(byte[] src, int off, float[] out, int o) {
            int h = set.height();
            int w = set.width();
            int sx = (int) g.ax;
            int bx = (int) g.bx;
            int sy = (int) g.ay;
            int by = (int) g.by;
            for (int c = 0; c < set.channels(); c++) {
                float sc = scale[c];
                float sh = shift[c];
                int plane = off + c * h * w;
                for (int y = 0; y < outH; y++) {
                    int yy = g.reflect ? reflectIndex(sy * y + by, h) : sy * y + by;
                    if (yy < 0 || yy >= h) {
                        Arrays.fill(out, o, o + outW, sh);
                        o += outW;
                        continue;
                    }
                    int row = plane + yy * w;
                    if (g.reflect) {
                        for (int x = 0; x < outW; x++) {
                            out[o++] = (src[row + reflectIndex(sx * x + bx, w)] & 0xFF) * sc + sh;
                        }
                    } else if (sx == 1 && bx >= 0 && bx + outW <= w) {
                        for (int x = 0, p = row + bx; x < outW; x++, p++) {
                            out[o++] = (src[p] & 0xFF) * sc + sh;
                        }
                    } else {
                        for (int x = 0; x < outW; x++) {
                            int xx = sx * x + bx;
                            out[o++] = xx >= 0 && xx < w ? (src[row + xx] & 0xFF) * sc + sh : sh;
                        }
                    }
                }
            }
        }

        private void sampleBilinear(byte[] src, int off, float[] out, int o) {
            if (g.reflect) {
                throw new UserException("augmentation '" + spec + "': rcrop (reflect padding) combines only with"
                        + " crops and flips, not with resizing ops");
            }
            int h = set.height();
            int w = set.width();
            taps(g.ax, g.bx, w, x0, x1, fx, validX);
            taps(g.ay, g.by, h, y0, y1, fy, validY);
            for (int c = 0; c < set.channels(); c++) {
                float sc = scale[c];
                float sh = shift[c];
                int plane = off + c * h * w;
                for (int y = 0; y < outH; y++) {
                    int r0 = plane + y0[y] * w;
                    int r1 = plane + y1[y] * w;
                    float wy = fy[y];
                    for (int x = 0; x < outW; x++) {
                        if (!validY[y] || !validX[x]) {
                            out[o++] = sh;
                            continue;
                        }
                        float top = (src[r0 + x0[x]] & 0xFF) * (1 - fx[x]) + (src[r0 + x1[x]] & 0xFF) * fx[x];
                        float bot = (src[r1 + x0[x]] & 0xFF) * (1 - fx[x]) + (src[r1 + x1[x]] & 0xFF) * fx[x];
                        out[o++] = (top + (bot - top) * wy) * sc + sh;
                    }
                }
            }
        }

        /** Bilinear taps of source coordinate a*u + b for u in [0, n), on a size-long axis. */
        private void taps(double a, double b, int size, int[] lo, int[] hi, float[] frac, boolean[] valid) {
            for (int u = 0; u < lo.length; u++) {
                double v = a * u + b;
                valid[u] = v >= -0.5 - 1e-9 && v <= size - 0.5 + 1e-9;
                double c = Math.min(Math.max(v, 0), size - 1);
                int i = (int) Math.floor(c);
                lo[u] = i;
                hi[u] = Math.min(i + 1, size - 1);
                frac[u] = (float) (c - i);
            }
        }
    }

    /** PyTorch's reflect padding: -1 -> 1, n -> n - 2 (the edge pixel is not repeated); needs n >= 2. */
    static int reflectIndex(int i, int n) {
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** The composed map source = a * output + b per axis; starts as the identity. */
    static final class Geometry {
        double ax;
        double bx;
        double ay;
        double by;
        /** Source coordinates outside the image mirror back into it (reflect padding), else read 0. */
        boolean reflect;

        void reset() {
            reflect = false;
            ax = 1;
            bx = 0;
            ay = 1;
            by = 0;
        }

        /** Appends an op whose output u maps to its input a*u + b (per axis). */
        void then(double oax, double obx, double oay, double oby) {
            bx += ax * obx;
            ax *= oax;
            by += ay * oby;
            ay *= oay;
        }

        boolean isIntegerShift() {
            return Math.abs(ax) == 1 && Math.abs(ay) == 1 && bx == Math.rint(bx) && by == Math.rint(by);
        }
    }

    /** One op: output size from input size, and its per-sample output-to-input map. */
    private interface Op {
        /** [outH, outW], or null if the op cannot apply to h x w. */
        int[] outputSize(int h, int w);

        void map(Geometry g, int h, int w, SplittableRandom r);

        /** [outH, outW] on the full-image path, or null if the op cannot apply to h x w. */
        default int[] fullSize(int h, int w) {
            return outputSize(h, w);
        }

        /** The full-image path's map: same random draws as {@link #map}. */
        void mapFull(Full g, int h, int w, SplittableRandom r);
    }

    /** An op on the pixel values only (colour, lighting): size unchanged, full-image path only. */
    private interface PixelOp extends Op {
        default int[] outputSize(int h, int w) {
            return new int[] {h, w};
        }

        default void map(Geometry g, int h, int w, SplittableRandom r) {
            throw new IllegalStateException(this + " runs on the full-image path only");
        }
    }

    /**
     * One axis of the full-image map: output u reads around in0 + (sign*u + shift + 0.5) * scale,
     * with filter taps kept inside [lo, hi) (the box of the last resize, as Pillow resizes a crop).
     */
    static final class FullAxis {
        double in0;
        double scale = 1;
        int sign = 1;
        int shift;
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;

        /** Appends an op whose output u reads its input index s*u + t (s = +-1). */
        void shift(int s, int t) {
            shift = sign * t + shift;
            sign *= s;
        }

        /** Appends a resize of the input box [c0, c1) to m pixels (Pillow's resize with a box). */
        void resample(double c0, double c1, int m) {
            double s2 = (c1 - c0) / m;
            double a = in0 + (sign * (c0 - 0.5) + shift + 0.5) * scale;
            double b = in0 + (sign * (c1 - 0.5) + shift + 0.5) * scale;
            lo = Math.max(lo, Math.min(a, b));
            hi = Math.min(hi, Math.max(a, b));
            in0 = a;
            scale = sign * s2 * scale;
            sign = 1;
            shift = 0;
        }

        PilResample.Axis taps(int in, int out) {
            int from = (int) Math.max(0, Math.min(in, Math.round(lo)));
            int to = (int) Math.max(from, Math.min(in, Math.round(hi)));
            if (lo == Double.NEGATIVE_INFINITY) {
                from = 0;
                to = in;
            }
            return PilResample.Axis.of(from, to, out, in0, scale, sign, shift);
        }
    }

    /** The composed full-image map of one sample: both axes and the jitter factors (or null). */
    static final class Full {
        final FullAxis x = new FullAxis();
        final FullAxis y = new FullAxis();
        float[] jitter;
        /** {@code cjitter}'s step order and weights, or null. */
        int[] colourOrder;
        float[] colourAlpha;
        /** {@code lighting}'s component weights, or null. */
        float[] lighting;
        boolean reflect;
    }

    private record PadCrop(int size, int pad, boolean reflect) implements Op {
        public int[] outputSize(int h, int w) {
            boolean fits = h + 2 * pad >= size && w + 2 * pad >= size;
            return fits && (!reflect || (pad < h && pad < w)) ? new int[] {size, size} : null;
        }

        public void map(Geometry g, int h, int w, SplittableRandom r) {
            int top = r.nextInt(h + 2 * pad - size + 1) - pad;
            int left = r.nextInt(w + 2 * pad - size + 1) - pad;
            g.then(1, left, 1, top);
            g.reflect |= reflect;
        }

        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            int top = r.nextInt(h + 2 * pad - size + 1) - pad;
            int left = r.nextInt(w + 2 * pad - size + 1) - pad;
            g.x.shift(1, left);
            g.y.shift(1, top);
            g.reflect |= reflect;
        }

        @Override
        public String toString() {
            return (reflect ? "rcrop" : "crop") + size + ":" + pad;
        }
    }

    private record Flip(double p) implements Op {
        public int[] outputSize(int h, int w) {
            return new int[] {h, w};
        }

        public void map(Geometry g, int h, int w, SplittableRandom r) {
            if (r.nextDouble() < p) {
                g.then(-1, w - 1, 1, 0);
            }
        }

        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            if (r.nextDouble() < p) {
                g.x.shift(-1, w - 1);
            }
        }

        @Override
        public String toString() {
            return "flip:" + p;
        }
    }

    private record CenterCrop(int size) implements Op {
        public int[] outputSize(int h, int w) {
            return h >= size && w >= size ? new int[] {size, size} : null;
        }

        public void map(Geometry g, int h, int w, SplittableRandom r) {
            g.then(1, (w - size) / 2, 1, (h - size) / 2);
        }

        public int[] fullSize(int h, int w) {
            return new int[] {size, size};
        }

        /** torchvision: offset round-half-even((in - S) / 2), or pad by (S - in) / 2 when S > in. */
        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            g.x.shift(1, offset(w));
            g.y.shift(1, offset(h));
        }

        private int offset(int in) {
            return size > in ? -((size - in) / 2) : (int) Math.rint((in - size) / 2.0);
        }

        @Override
        public String toString() {
            return "center" + size;
        }
    }

    private record Resize(int size) implements Op {
        public int[] outputSize(int h, int w) {
            return new int[] {size, size};
        }

        public void map(Geometry g, int h, int w, SplittableRandom r) {
            double sx = (double) w / size;
            double sy = (double) h / size;
            g.then(sx, 0.5 * sx - 0.5, sy, 0.5 * sy - 0.5);
        }

        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            g.x.resample(0, w, size);
            g.y.resample(0, h, size);
        }

        @Override
        public String toString() {
            return "resize" + size;
        }
    }

    /** torchvision's {@code Resize(S)}: the shorter side becomes S, the longer floor(S * long / short). */
    private record ShortSide(int size) implements Op {
        public int[] outputSize(int h, int w) {
            return h <= w ? new int[] {size, (int) ((long) size * w / h)} : new int[] {(int) ((long) size * h / w), size};
        }

        public void map(Geometry g, int h, int w, SplittableRandom r) {
            throw new IllegalStateException("short" + size + " runs on the full-image path only");
        }

        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            int[] hw = outputSize(h, w);
            g.x.resample(0, w, hw[1]);
            g.y.resample(0, h, hw[0]);
        }

        @Override
        public String toString() {
            return "short" + size;
        }
    }

    /**
     * CloserLook's ImageJitter: brightness, contrast and colour factors 1 + s * (2u - 1) with u
     * uniform in [0, 1), drawn in that order.
     */
    private record Jitter(double strength) implements PixelOp {
        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            float[] f = new float[3];
            for (int i = 0; i < 3; i++) {
                f[i] = (float) (1 + strength * (r.nextDouble() * 2 - 1));
            }
            g.jitter = f;
        }

        @Override
        public String toString() {
            return "jitter:" + strength;
        }
    }

    /**
     * CutMix's ColorJitter: the order of brightness, contrast and saturation shuffled (Fisher-Yates),
     * then a weight uniform in [-s, s) per step, drawn in the order the steps run.
     */
    private record ColourJitter(double strength) implements PixelOp {
        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            int[] order = {BRIGHTNESS, CONTRAST, SATURATION};
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            float[] alpha = new float[3];
            for (int k = 0; k < 3; k++) {
                alpha[k] = strength == 0 ? 0f : (float) r.nextDouble(-strength, strength);
            }
            g.colourOrder = order;
            g.colourAlpha = alpha;
        }

        @Override
        public String toString() {
            return "cjitter:" + strength;
        }
    }

    /** PCA lighting: three component weights N(0, std^2) per image. */
    private record Lighting(double std) implements PixelOp {
        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            float[] alpha = new float[3];
            for (int j = 0; j < 3; j++) {
                alpha[j] = (float) (r.nextGaussian() * std);
            }
            g.lighting = alpha;
        }

        @Override
        public String toString() {
            return "lighting:" + std;
        }
    }

    /** torchvision RandomResizedCrop.get_params, then a bilinear resize of the crop to SxS. */
    private record ResizedCrop(int size, double minScale) implements Op {
        private static final double LOG_MIN_RATIO = Math.log(3.0 / 4.0);
        private static final double LOG_MAX_RATIO = Math.log(4.0 / 3.0);

        public int[] outputSize(int h, int w) {
            return new int[] {size, size};
        }

        public void map(Geometry g, int h, int w, SplittableRandom r) {
            int[] box = box(h, w, r);
            int top = box[0];
            int left = box[1];
            int ch = box[2];
            int cw = box[3];
            double sx = (double) cw / size;
            double sy = (double) ch / size;
            g.then(sx, left + 0.5 * sx - 0.5, sy, top + 0.5 * sy - 0.5);
        }

        public void mapFull(Full g, int h, int w, SplittableRandom r) {
            int[] box = box(h, w, r);
            g.x.resample(box[1], box[1] + box[3], size);
            g.y.resample(box[0], box[0] + box[2], size);
        }

        int[] box(int h, int w, SplittableRandom r) {
            double area = (double) h * w;
            int cw = 0;
            int ch = 0;
            int top = 0;
            int left = 0;
            boolean found = false;
            for (int attempt = 0; attempt < 10 && !found; attempt++) {
                double target = area * (minScale < 1 ? r.nextDouble(minScale, 1.0) : 1.0);
                double ratio = Math.exp(r.nextDouble(LOG_MIN_RATIO, LOG_MAX_RATIO));
                cw = (int) Math.round(Math.sqrt(target * ratio));
                ch = (int) Math.round(Math.sqrt(target / ratio));
                if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                    top = r.nextInt(h - ch + 1);
                    left = r.nextInt(w - cw + 1);
                    found = true;
                }
            }
            if (!found) {
                double inRatio = (double) w / h;
                if (inRatio < 3.0 / 4.0) {
                    cw = w;
                    ch = (int) Math.round(w / (3.0 / 4.0));
                } else if (inRatio > 4.0 / 3.0) {
                    ch = h;
                    cw = (int) Math.round(h * (4.0 / 3.0));
                } else {
                    cw = w;
                    ch = h;
                }
                ch = Math.min(ch, h);
                cw = Math.min(cw, w);
                top = (h - ch) / 2;
                left = (w - cw) / 2;
            }
            return new int[] {top, left, ch, cw};
        }

        @Override
        public String toString() {
            return "rrc" + size + ":" + minScale;
        }
    }
}
