package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The full-image path against Pillow 9.4 (Debian python3-pil) references written by
 * {@code tools/gen_pil_fixtures.py}: resizes, resized crops, flips and CloserLook's jitter agree
 * to within 1 grey level (documented tolerance; observed 0), and random-resized-crop boxes follow
 * torchvision's area and aspect-ratio distributions.
 */
class PilCompatTest {
    private static final int TOLERANCE = 1;

    private static Path fixture(String name) {
        try {
            return Path.of(PilCompatTest.class.getResource("pil/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ImageFolderReader.Decoded load(String name) {
        return ImageFolderReader.decodeFull(fixture(name), 3);
    }

    /** Max |a - b| over [3,h,w] uint8 arrays of equal length. */
    private static int maxDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        int m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return m;
    }

    private static byte[] viaAxes(ImageFolderReader.Decoded src, Augmentation.Full g, int outH, int outW) {
        byte[] out = new byte[3 * outH * outW];
        PilResample.resample(src.pixels(), 0, 3, src.height(), src.width(), g.y.taps(src.height(), outH),
                g.x.taps(src.width(), outW), out);
        return out;
    }

    /** The spec's full-image path with identity normalisation, back to uint8. */
    private static byte[] viaSpec(String spec, ImageFolderReader.Decoded src, int outH, int outW) {
        float[] f = new float[3 * outH * outW];
        assertTrue(Augmentation.parse(spec).applyFull(src.pixels(), 0, 3, src.height(), src.width(), 1L, f, 0, outH,
                outW));
        byte[] out = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (byte) Math.round(f[i] * 255f);
        }
        return out;
    }

    private static void check(String reference, byte[] actual) {
        ImageFolderReader.Decoded ref = load(reference);
        int d = maxDiff(ref.pixels(), actual);
        assertTrue(d <= TOLERANCE, reference + ": max difference " + d);
    }

    @Test
    void shortSideThenCenterCrop_matchesPillow() {
        ImageFolderReader.Decoded src = load("source.png");
        assertEquals(53, src.width());
        assertEquals(37, src.height());
        check("short24_center20.png", viaSpec("short24,center20", src, 20, 20));
    }

    @Test
    void squareResizeThenCenterCrop_closerLookTest_matchesPillow() {
        check("resize23_center20.png", viaSpec("resize23,center20", load("source.png"), 20, 20));
    }

    @Test
    void resizedCropDownscale_plainAndFlipped_matchPillow() {
        ImageFolderReader.Decoded src = load("source.png");
        Augmentation.Full g = new Augmentation.Full();
        g.x.resample(7, 37, 16);
        g.y.resample(5, 25, 16);
        check("box_t5_l7_h20_w30_to16.png", viaAxes(src, g, 16, 16));
        g.x.shift(-1, 15);
        check("box_t5_l7_h20_w30_to16_flip.png", viaAxes(src, g, 16, 16));
    }

    @Test
    void resizedCropUpscale_matchesPillow() {
        Augmentation.Full g = new Augmentation.Full();
        g.x.resample(30, 42, 24);
        g.y.resample(20, 29, 24);
        check("box_t20_l30_h9_w12_to24.png", viaAxes(load("source.png"), g, 24, 24));
    }

    @Test
    void resizeThenRandomCropThenFlip_fineGrainedRecipe_matchesPillow() {
        Augmentation.Full g = new Augmentation.Full();
        g.x.resample(0, 53, 40);
        g.y.resample(0, 37, 40);
        g.x.shift(1, 5);
        g.y.shift(1, 3);
        g.x.shift(-1, 31);
        check("resize40_crop32_t3_l5_flip.png", viaAxes(load("source.png"), g, 32, 32));
    }

    @Test
    void jitter_matchesImageEnhance() {
        for (String name : new String[] {"box16_jitter_b1.3_c0.7_s1.25.png", "box16_jitter_b0.65_c1.35_s0.8.png"}) {
            String[] f = name.replace(".png", "").split("_");
            float[] factors = {Float.parseFloat(f[2].substring(1)), Float.parseFloat(f[3].substring(1)),
                Float.parseFloat(f[4].substring(1))};
            byte[] px = load("box_t5_l7_h20_w30_to16.png").pixels().clone();
            Augmentation.jitter(px, 3, 16 * 16, factors);
            check(name, px);
        }
    }

    @Test
    void cmykJpeg_decodesAsPillowConvertRgb() {
        check("cmyk_rgb.png", load("cmyk.jpg").pixels());
    }

    @Test
    void randomResizedCrop_areaAndAspectRatio_matchTorchvisionStatistics() throws IOException {
        JsonObject all;
        try (Reader r = new InputStreamReader(PilCompatTest.class.getResourceAsStream("pil/rrc_stats.json"),
                StandardCharsets.UTF_8)) {
            all = JsonParser.parseReader(r).getAsJsonObject();
        }
        for (String key : new String[] {"rrc_400x300", "rrc_100x400"}) {
            JsonObject ref = all.getAsJsonObject(key);
            int h = ref.get("height").getAsInt();
            int w = ref.get("width").getAsInt();
            int n = 40000;
            double[] frac = new double[n];
            double[] logRatio = new double[n];
            SplittableRandom r = new SplittableRandom(2021);
            for (int i = 0; i < n; i++) {
                int[] box = Augmentation.randomResizedBox(h, w, r, 0.08);
                assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= h && box[1] + box[3] <= w);
                frac[i] = (double) box[2] * box[3] / (h * w);
                logRatio[i] = Math.log((double) box[3] / box[2]);
            }
            compare(key + " area fraction", frac, ref.getAsJsonObject("area_fraction"));
            compare(key + " log aspect ratio", logRatio, ref.getAsJsonObject("log_ratio"));
        }
    }

    /** Mean within 4 standard errors, sd within 3%, deciles and median within 0.02 of the reference. */
    private static void compare(String what, double[] v, JsonObject ref) {
        double mean = Arrays.stream(v).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
        double refSd = ref.get("sd").getAsDouble();
        double se = refSd / Math.sqrt(v.length);
        assertEquals(ref.get("mean").getAsDouble(), mean, 4 * se + 1e-9, what + " mean");
        assertEquals(refSd, sd, 0.03 * refSd, what + " sd");
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        assertEquals(ref.get("q10").getAsDouble(), sorted[v.length / 10], 0.02, what + " q10");
        assertEquals(ref.get("q50").getAsDouble(), sorted[v.length / 2], 0.02, what + " median");
        assertEquals(ref.get("q90").getAsDouble(), sorted[9 * v.length / 10], 0.02, what + " q90");
    }
}
