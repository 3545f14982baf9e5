package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
    /** 1x1x1 images whose pixel is the index and label is index % 5. */
    private static final ImageSet SET = indexSet(23);

    private static ImageSet indexSet(int n) {
        byte[] px = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) i;
            labels[i] = i % 5;
        }
        return new ImageSet("idx", TestImages.classNames(5), labels, 1, 1, 1, PixelStore.wrap(px, 1));
    }

    /** Image indices of every batch of one epoch, read back from the pixels. */
    private static List<int[]> epoch(BatchLoader loader, int e) {
        List<int[]> out = new ArrayList<>();
        try (BatchLoader.Epoch it = loader.epoch(e)) {
            while (it.hasNext()) {
                Batch b = it.next();
                int[] idx = new int[b.size()];
                for (int k = 0; k < b.size(); k++) {
                    idx[k] = Math.round(b.x()[k] * 255);
                    assertEquals(idx[k] % 5, b.y()[k]);
                }
                out.add(idx);
            }
            assertThrows(NoSuchElementException.class, it::next);
        }
        return out;
    }

    private static BatchLoader.Builder base() {
        return BatchLoader.builder().setData(SET).setBatchSize(5).optSeed(3).optPrefetch(1);
    }

    @Test
    void epoch_shuffled_visitsEveryImageOnceWithSmallLastBatch() {
        List<int[]> batches = epoch(base().build(), 0);
        assertEquals(5, batches.size());
        assertEquals(3, batches.get(4).length);
        int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        int[] expected = new int[23];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, all);
    }

    @Test
    void epoch_sameSeedAndEpoch_sameBatchesOtherEpochDiffers() {
        BatchLoader a = base().build();
        List<int[]> e0 = epoch(a, 0);
        List<int[]> again = epoch(base().optPrefetch(4).build(), 0);
        for (int b = 0; b < e0.size(); b++) {
            assertArrayEquals(e0.get(b), again.get(b));
        }
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
    }

    @Test
    void epoch_noShuffleDropLast_sequentialFullBatches() {
        BatchLoader loader = base().optShuffle(false).optDropLast(true).build();
        assertEquals(4, loader.batchesPerEpoch());
        List<int[]> batches = epoch(loader, 7);
        assertEquals(4, batches.size());
        assertArrayEquals(new int[] {15, 16, 17, 18, 19}, batches.get(3));
        assertEquals(0, base().setBatchSize(30).optDropLast(true).build().batchesPerEpoch());
    }

    @Test
    void epoch_augmentedSamples_matchAugmentationWithPositionSeeds() {
        ImageSet ramp = TestImages.ramp(10, 3, 8, 8, 2);
        Augmentation aug = Augmentation.parse("crop6:1,flip");
        BatchLoader loader = BatchLoader.builder().setData(ramp).setBatchSize(4).optAugmentation(aug).optSeed(9).build();
        assertArrayEquals(new int[] {3, 6, 6}, loader.sampleShape());
        int[] order = loader.order(2);
        float[] expected = new float[108];
        try (BatchLoader.Epoch it = loader.epoch(2)) {
            it.next();
            Batch second = it.next();
            aug.apply(ramp, new int[] {order[5]}, new long[] {Augmentation.sampleSeed(9, 2, 5)}, 1, expected);
            assertArrayEquals(expected, Arrays.copyOfRange(second.x(), 108, 216));
            assertEquals(ramp.label(order[5]), second.y()[1]);
        }
    }

    @Test
    void close_earlyWithFullQueue_stopsProducer() {
        BatchLoader loader = BatchLoader.builder().setData(indexSet(200)).setBatchSize(2).build();
        try (BatchLoader.Epoch it = loader.epoch(0)) {
            it.next();
        }
        try (BatchLoader.Epoch next = loader.epoch(1)) {
            assertEquals(2, next.next().size());
        }
    }

    @Test
    void build_badArguments_rejected() {
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.builder().setBatchSize(4).build());
        assertThrows(IllegalArgumentException.class, () -> base().setBatchSize(0).build());
        assertThrows(UserException.class, () -> base().optAugmentation(Augmentation.parse("center4")).build());
    }

    @Test
    void measureImagesPerSecond_smallRun_positive() {
        double rate = BatchLoader.measureImagesPerSecond(TestImages.ramp(64, 3, 32, 32, 4),
                Augmentation.parse("crop32:4,flip"), 16, 30);
        assertTrue(rate > 0 && Double.isFinite(rate), "rate " + rate);
    }
}
