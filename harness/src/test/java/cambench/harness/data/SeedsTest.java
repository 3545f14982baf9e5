package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Derived seeds are pinned: records, batch orders, glyphs and episodes depend on them bit for
 * bit. Expected values were printed by the code before the data and few-shot seed helpers were
 * merged into {@link Seeds}; a change here changes every stored result.
 */
class SeedsTest {

    @Test
    void mix_fixedTuples_givePinnedSeeds() {
        assertEquals(-9174984717662021586L, Seeds.mix(0, 0, 0));
        assertEquals(5246500226706903259L, Seeds.mix(1, 2, 3));
        assertEquals(5442407888428724938L, Seeds.mix(-7, 123456789, -1));
    }

    @Test
    void sampleSeed_fixedPosition_isPinned() {
        assertEquals(-1494721678935781030L, Augmentation.sampleSeed(1, 2, 3));
    }

    @Test
    void order_seed3Epoch1_isPinnedPermutation() {
        int n = 23;
        byte[] px = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) i;
            labels[i] = i % 5;
        }
        ImageSet set = new ImageSet("idx", List.of("a", "b", "c", "d", "e"), labels, 1, 1, 1, PixelStore.wrap(px, 1));
        BatchLoader loader = BatchLoader.builder().setData(set).setBatchSize(5).optSeed(3).build();
        assertArrayEquals(new int[] {1, 8, 22, 15, 21, 5, 6, 10, 4, 7, 9, 19, 13, 18, 11, 2, 16, 0, 12, 14, 17, 20, 3},
                loader.order(1));
    }

    @Test
    void shuffle_sameRandom_isPermutationAndRepeatable() {
        int[] a = Seeds.shuffle(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new SplittableRandom(9));
        int[] b = Seeds.shuffle(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new SplittableRandom(9));
        assertArrayEquals(a, b);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, java.util.Arrays.stream(a).sorted().toArray());
    }
}
