package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code cjitter} and {@code lighting}, CutMix's ImageNet colour augmentation: the arithmetic
 * against PyTorch 1.13 (Debian python3-torch) references written by
 * {@code tools/gen_colour_fixtures.py} with fixed step orders and weights (tolerance 1e-6, float
 * rounding of the grey mean), and the draws' distributions.
 */
class ColourLightingTest {
    private static JsonObject fixture() throws IOException {
        try (Reader r = new InputStreamReader(ColourLightingTest.class.getResourceAsStream("colour/cutmix_colour.json"),
                StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        }
    }

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    @Test
    void jitterAndLighting_fixedDraws_matchTorchReference() throws IOException {
        JsonObject f = fixture();
        int plane = f.get("height").getAsInt() * f.get("width").getAsInt();
        JsonArray px = f.getAsJsonArray("pixels");
        for (JsonElement e : f.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            float[] v = new float[px.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = px.get(i).getAsInt() / 255f;
            }
            JsonArray orderJson = c.getAsJsonArray("order");
            int[] order = new int[orderJson.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = orderJson.get(i).getAsInt();
            }
            Augmentation.colourJitter(v, 3, plane, order, floats(c.getAsJsonArray("alpha")));
            float[] offset = Augmentation.lightingOffset(floats(c.getAsJsonArray("lighting")));
            float[] expected = floats(c.getAsJsonArray("expected"));
            for (int i = 0; i < v.length; i++) {
                assertEquals(expected[i], v[i] + offset[i / plane], 1e-6, "case " + c.get("order") + " value " + i);
            }
        }
    }

    @Test
    void lighting_handCheckedOffset() {
        // alpha = (1, 0, 0): the first component times its eigenvalue, 0.2175 * (-0.5675, -0.5808, -0.5836)
        float[] rgb = Augmentation.lightingOffset(new float[] {1f, 0f, 0f});
        assertEquals(-0.12343125, rgb[0], 1e-7);
        assertEquals(-0.1263240, rgb[1], 1e-7);
        assertEquals(-0.1269330, rgb[2], 1e-7);
    }

    /** The spec's full-image path on a flat grey image, identity normalisation. */
    private static float[] apply(String spec, long seed) {
        int h = 6;
        int w = 7;
        byte[] src = new byte[3 * h * w];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (40 + (i * 37) % 180);
        }
        float[] out = new float[src.length];
        assertTrue(Augmentation.parse(spec).applyFull(src, 0, 3, h, w, seed, out, 0, h, w));
        return out;
    }

    @Test
    void zeroStrength_isTheToTensorImage_lightingShiftsEachChannelByOneConstant() {
        float[] plain = apply("none", 1);
        float[] still = apply("cjitter:0,lighting:0", 1);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i], still[i], 1e-7);
        }
        float[] lit = apply("lighting", 3);
        int plane = 6 * 7;
        for (int ch = 0; ch < 3; ch++) {
            double shift = lit[ch * plane] - plain[ch * plane];
            for (int p = 0; p < plane; p++) {
                assertEquals(shift, lit[ch * plane + p] - plain[ch * plane + p], 1e-6, "channel " + ch);
            }
        }
    }

    @Test
    void draws_weightsUniformInRange_lightingStdAsAsked_everyOrderOccurs() {
        java.util.Set<String> orders = new java.util.HashSet<>();
        double sum = 0;
        double sumSq = 0;
        int n = 20000;
        for (int s = 0; s < n; s++) {
            Augmentation.Full drawn = Augmentation.drawnFor("cjitter,lighting", 2, 2, s);
            orders.add(java.util.Arrays.toString(drawn.colourOrder));
            for (float a : drawn.colourAlpha) {
                assertTrue(a >= -0.4f && a < 0.4f, "weight " + a);
            }
            for (float a : drawn.lighting) {
                sum += a;
                sumSq += a * a;
            }
        }
        assertEquals(6, orders.size(), "all 3! step orders occur");
        double mean = sum / (3.0 * n);
        double sd = Math.sqrt(sumSq / (3.0 * n) - mean * mean);
        assertEquals(0, mean, 0.003);
        assertEquals(0.1, sd, 0.002);
    }

    @Test
    void lightingOnGrey_isOneLineError() {
        UserException e = assertThrows(UserException.class,
                () -> Augmentation.parse("crop8,lighting").outputShape(1, 8, 8));
        assertEquals("augmentation 'crop8,lighting': lighting needs RGB images, these have 1 channel(s)",
                e.getMessage());
        assertThrows(UserException.class, () -> Augmentation.parse("cjitter:2"));
    }
}
