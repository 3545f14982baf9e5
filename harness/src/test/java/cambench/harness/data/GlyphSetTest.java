package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GlyphSetTest {
    @Test
    void classCount_dejavu_atLeast300Distinct() {
        int[] cps = GlyphSet.codePoints();
        assertTrue(GlyphSet.classCount() >= 300, "classes: " + GlyphSet.classCount());
        Set<Integer> distinct = new HashSet<>();
        Arrays.stream(cps).forEach(distinct::add);
        assertEquals(cps.length, distinct.size());
    }

    @Test
    void render_sameSeed_identicalAndOffsetIndependent() {
        ImageSet a = GlyphSet.render(6, 3, 16, 1, 11, 0);
        ImageSet b = GlyphSet.render(6, 3, 16, 1, 11, 0);
        ImageSet shifted = GlyphSet.render(2, 3, 16, 1, 11, 4);
        assertEquals(18, a.count());
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3}, a.classCounts());
        for (int i = 0; i < a.count(); i++) {
            assertArrayEquals(TestImages.image(a, i), TestImages.image(b, i));
        }
        assertArrayEquals(TestImages.image(a, 4 * 3 + 2), TestImages.image(shifted, 2));
        assertEquals(a.classes().get(4), shifted.classes().get(0));
        assertEquals(String.format("U+%04X", GlyphSet.codePoints()[0]), a.classes().get(0));
    }

    @Test
    void render_otherSeedOrSample_differs() {
        ImageSet a = GlyphSet.render(1, 2, 16, 3, 1, 0);
        ImageSet b = GlyphSet.render(1, 2, 16, 3, 2, 0);
        assertEquals(3, a.channels());
        assertFalse(Arrays.equals(TestImages.image(a, 0), TestImages.image(b, 0)));
        assertFalse(Arrays.equals(TestImages.image(a, 0), TestImages.image(a, 1)));
    }

    @Test
    void render_glyphPixels_notBlank() {
        ImageSet a = GlyphSet.render(3, 2, 24, 1, 5, 0);
        for (int i = 0; i < a.count(); i++) {
            byte[] img = TestImages.image(a, i);
            int min = 255;
            int max = 0;
            for (byte v : img) {
                min = Math.min(min, v & 0xFF);
                max = Math.max(max, v & 0xFF);
            }
            assertTrue(max - min > 100, "contrast of sample " + i + ": " + (max - min));
        }
    }

    @Test
    void render_rangeBeyondClasses_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> GlyphSet.render(2, 1, 16, 1, 0, GlyphSet.classCount() - 1));
        assertThrows(IllegalArgumentException.class, () -> GlyphSet.render(2, 1, 16, 2, 0, 0));
    }
}
