package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final ImageSet SET = TestImages.ramp(4, 3, 8, 8, 2);

    private static float[] run(String spec, int image, long seed) {
        Augmentation aug = Augmentation.parse(spec);
        int[] shape = aug.outputShape(3, 8, 8);
        float[] out = new float[shape[0] * shape[1] * shape[2]];
        aug.apply(SET, new int[] {image}, new long[] {seed}, 1, out);
        return out;
    }

    /** Pixel (c, y, x) of ramp image i in [0,1], or 0 outside the 8x8 image. */
    private static float source(int i, int c, int y, int x) {
        return y < 0 || y >= 8 || x < 0 || x >= 8 ? 0f : TestImages.value(i, c * 64 + y * 8 + x) / 255f;
    }

    @Test
    void none_identityNormalisation_givesPixelsOver255() {
        float[] out = run("none", 2, 0);
        assertEquals(source(2, 1, 3, 5), out[64 + 3 * 8 + 5], 1e-7);
    }

    /** The shift (dy, dx) within the pad by which {@code out} equals image 1 padded as {@code index} maps, or null. */
    private static int[] shiftOf(float[] out, int pad, java.util.function.IntBinaryOperator index) {
        for (int dy = -pad; dy <= pad; dy++) {
            for (int dx = -pad; dx <= pad; dx++) {
                boolean all = true;
                for (int c = 0; c < 3 && all; c++) {
                    for (int y = 0; y < 8 && all; y++) {
                        for (int x = 0; x < 8 && all; x++) {
                            float want = source(1, c, index.applyAsInt(y + dy, 8), index.applyAsInt(x + dx, 8));
                            all = Math.abs(out[c * 64 + y * 8 + x] - want) < 1e-6;
                        }
                    }
                }
                if (all) {
                    return new int[] {dy, dx};
                }
            }
        }
        return null;
    }

    @Test
    void padCrop_manySeeds_equalsImageShiftedWithinPad() {
        for (long seed = 0; seed < 20; seed++) {
            // zero padding: source() is 0 outside the image
            assertTrue(shiftOf(run("crop8:2", 1, seed), 2, (i, n) -> i) != null,
                    "seed " + seed + " is not a shift of at most 2 with zero padding");
        }
    }

    @Test
    void reflectIndex_mirrorsWithoutRepeatingTheEdge() {
        // PyTorch F.pad(mode='reflect') on [0..7]: pad 2 gives 2 1 | 0 .. 7 | 6 5
        assertEquals(2, Augmentation.reflectIndex(-2, 8));
        assertEquals(1, Augmentation.reflectIndex(-1, 8));
        assertEquals(0, Augmentation.reflectIndex(0, 8));
        assertEquals(7, Augmentation.reflectIndex(7, 8));
        assertEquals(6, Augmentation.reflectIndex(8, 8));
        assertEquals(5, Augmentation.reflectIndex(9, 8));
    }

    @Test
    void reflectCrop_manySeeds_equalsShiftOfTheReflectPaddedImage() {
        boolean sawBorder = false;
        for (long seed = 0; seed < 20; seed++) {
            int[] shift = shiftOf(run("rcrop8:2", 1, seed), 2, Augmentation::reflectIndex);
            assertTrue(shift != null, "seed " + seed + " is not a shift of the reflect-padded image");
            sawBorder |= shift[0] != 0 || shift[1] != 0;
        }
        assertTrue(sawBorder, "no seed shifted the crop into the padding");
    }

    @Test
    void flip_twiceCertain_isIdentityAndOnceMirrors() {
        assertArrayEquals(run("none", 3, 5), run("flip:1,flip:1", 3, 5));
        float[] once = run("flip:1", 3, 5);
        assertEquals(source(3, 2, 4, 7), once[2 * 64 + 4 * 8], 1e-7);
        assertArrayEquals(run("none", 3, 5), run("flip:0", 3, 5));
    }

    @Test
    void center_fourOfEight_takesMiddle() {
        float[] out = run("center4", 0, 0);
        assertEquals(3 * 16, out.length);
        assertEquals(source(0, 0, 2, 2), out[0], 1e-7);
        assertEquals(source(0, 2, 5, 5), out[2 * 16 + 15], 1e-7);
    }

    @Test
    void resize_sameSizeAndConstant_exactAndConstant() {
        assertArrayEquals(run("none", 1, 0), run("resize8", 1, 0));
        byte[] gray = new byte[3 * 64];
        Arrays.fill(gray, (byte) 100);
        ImageSet flat = new ImageSet("f", java.util.List.of("a"), new int[] {0}, 3, 8, 8, PixelStore.wrap(gray, 192));
        for (String spec : new String[] {"resize13", "rrc5,flip", "rrc16:0.5"}) {
            Augmentation aug = Augmentation.parse(spec);
            int[] s = aug.outputShape(3, 8, 8);
            float[] out = new float[s[0] * s[1] * s[2]];
            aug.apply(flat, new int[] {0}, new long[] {9}, 1, out);
            for (float v : out) {
                assertEquals(100 / 255f, v, 1e-5, spec);
            }
        }
    }

    @Test
    void normalisation_meanStd_appliedPerChannel() {
        Augmentation aug = Augmentation.parse("none",
                Normalization.of(new float[] {0.5f, 0f, 1f}, new float[] {0.5f, 2f, 0.25f}));
        float[] out = new float[192];
        aug.apply(SET, new int[] {2}, new long[] {0}, 1, out);
        assertEquals((source(2, 0, 0, 1) - 0.5f) / 0.5f, out[1], 1e-6);
        assertEquals(source(2, 1, 0, 1) / 2f, out[65], 1e-6);
        assertEquals((source(2, 2, 0, 1) - 1f) / 0.25f, out[129], 1e-5);
        // padding is pixel 0 before normalisation: (0 - 0.5) / 0.5 = -1
        Augmentation padded = Augmentation.parse("crop8:8", Normalization.of(new float[] {0.5f}, new float[] {0.5f}));
        boolean sawPad = false;
        for (long seed = 0; seed < 10 && !sawPad; seed++) {
            padded.apply(SET, new int[] {2}, new long[] {seed}, 1, out);
            sawPad = out[0] == -1f;
        }
        assertTrue(sawPad);
    }

    @Test
    void apply_sameSeeds_sameOutputDifferentSeedsDiffer() {
        assertArrayEquals(run("rrc6,flip", 1, 42), run("rrc6,flip", 1, 42));
        assertFalse(Arrays.equals(run("rrc6,flip", 1, 42), run("rrc6,flip", 1, 43)));
        long a = Augmentation.sampleSeed(1, 2, 3);
        assertEquals(a, Augmentation.sampleSeed(1, 2, 3));
        assertTrue(a != Augmentation.sampleSeed(1, 3, 2) && a != Augmentation.sampleSeed(2, 2, 3));
    }

    @Test
    void apply_batchOfTwo_equalsTwoSingles() {
        Augmentation aug = Augmentation.parse("crop8:2,flip");
        float[] both = new float[2 * 192];
        aug.apply(SET, new int[] {3, 0}, new long[] {7, 8}, 2, both);
        float[] second = new float[192];
        aug.apply(SET, new int[] {0}, new long[] {8}, 1, second);
        assertArrayEquals(second, Arrays.copyOfRange(both, 192, 384));
    }

    @Test
    void parse_unknownOrMalformed_oneLineUserException() {
        UserException e = assertThrows(UserException.class, () -> Augmentation.parse("crop32:4,blur"));
        assertEquals("augmentation 'crop32:4,blur': unknown op 'blur', expected crop<S>[:pad], "
                + "rcrop<S>[:pad], flip[:p], rrc<S>[:minScale], center<S>, resize<S>, short<S>, jitter[:strength]"
                + ", cjitter[:strength], lighting[:std] or none", e.getMessage());
        for (String bad : new String[] {"", "crop", "flip3", "flip:2", "center8:1", "rrc8:0", "crop8:1.5", "none,flip", "jitter:2", "short8:1", "jitter4", "cjitter:1.5", "lighting4"}) {
            assertThrows(UserException.class, () -> Augmentation.parse(bad), bad);
        }
    }

    @Test
    void outputShape_cropLargerThanImage_userException() {
        UserException e = assertThrows(UserException.class, () -> Augmentation.parse("center84").outputShape(3, 32, 32));
        assertEquals("augmentation 'center84': center84 cannot apply to 32x32 images", e.getMessage());
        assertArrayEquals(new int[] {1, 84, 84}, Augmentation.parse("rrc84,flip").outputShape(1, 32, 32));
        assertThrows(UserException.class, () -> Augmentation.parse("none",
                Normalization.of(new float[] {0, 0}, new float[] {1, 1})).outputShape(3, 8, 8));
    }
}
