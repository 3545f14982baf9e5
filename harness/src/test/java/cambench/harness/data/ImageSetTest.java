package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageSetTest {
    @Test
    void pixelStore_smallChunks_splitsWholeImagesAndCopiesBack() {
        PixelStore store = PixelStore.allocate(10, 12, 40); // 3 images per chunk
        for (int i = 0; i < 10; i++) {
            byte[] img = new byte[12];
            java.util.Arrays.fill(img, (byte) i);
            store.setImage(i, img, 0);
        }
        assertEquals(0, store.offset(3));
        assertEquals(24, store.offset(5));
        byte[] dst = new byte[14];
        store.copyImage(7, dst, 2);
        assertEquals(7, dst[2]);
        assertEquals(7, dst[13]);
        assertEquals(0, dst[1]);
        assertEquals(12, store.chunk(9).length); // last chunk holds image 9 only
        assertEquals(120L, store.totalBytes());
    }

    @Test
    void constructor_labelOutOfRange_throwsIllegalArgument() {
        PixelStore store = PixelStore.allocate(2, 4);
        assertThrows(IllegalArgumentException.class,
                () -> new ImageSet("x", List.of("a", "b"), new int[] {0, 2}, 1, 2, 2, store));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageSet("x", List.of("a", "b"), new int[] {0}, 1, 2, 2, store));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageSet("x", List.of("a", "b"), new int[] {0, 1}, 1, 2, 3, store));
    }

    @Test
    void subset_indices_keepsLabelsAndCopiesPixels() {
        ImageSet set = TestImages.ramp(9, 1, 2, 2, 3);
        ImageSet sub = set.subset(new int[] {4, 1, 4});
        assertEquals(3, sub.count());
        assertArrayEquals(new int[] {1, 1, 1}, sub.labels());
        assertEquals(set.classes(), sub.classes());
        assertArrayEquals(TestImages.image(set, 4), TestImages.image(sub, 2));
        assertArrayEquals(new int[] {0, 3, 0}, sub.classCounts());
    }

    @Test
    void filterClasses_twoOfFour_remapsLabelsInOrder() {
        ImageSet set = TestImages.ramp(12, 3, 2, 2, 4);
        ImageSet f = set.filterClasses(Set.of(3, 1));
        assertEquals(List.of("c1", "c3"), f.classes());
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, f.labels());
        assertArrayEquals(TestImages.image(set, 3), TestImages.image(f, 1));
        assertArrayEquals(new int[] {3, 3}, f.classCounts());
        assertThrows(IllegalArgumentException.class, () -> set.filterClasses(Set.of(4)));
    }

    @Test
    void indicesByClass_ramp_groupsAscending() {
        int[][] byClass = TestImages.ramp(7, 1, 1, 1, 3).indicesByClass();
        assertArrayEquals(new int[] {0, 3, 6}, byClass[0]);
        assertArrayEquals(new int[] {2, 5}, byClass[2]);
    }

    @Test
    void normalization_constantAndRamp_matchesHandComputed() {
        // two 1x1x2 images, channel 0 = {0, 255}, channel 1 = {10, 10}
        byte[] px = {0, 10, (byte) 255, 10};
        ImageSet set = new ImageSet("n", List.of("a"), new int[] {0, 0}, 2, 1, 1, PixelStore.wrap(px, 2));
        Normalization n = Normalization.of(set);
        assertEquals(0.5f, n.mean(0), 1e-6);
        assertEquals(0.5f, n.std(0), 1e-6); // population sd of {0, 1}
        assertEquals(10 / 255f, n.mean(1), 1e-6);
        assertEquals(1f, n.std(1)); // constant channel
    }
}
