package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamed image folders: file-backed sets decoded per batch by a thread pool. */
class StreamingLoaderTest {
    private static final ImageFolderReader.LoadOptions STREAM = new ImageFolderReader.LoadOptions(
            ImageFolderReader.LoadOptions.Streaming.ON, 0, ImageFiles.BadImages.FAIL);
    private static final ImageFolderReader.LoadOptions SKIP = new ImageFolderReader.LoadOptions(
            ImageFolderReader.LoadOptions.Streaming.ON, 0, ImageFiles.BadImages.SKIP);

    @TempDir
    Path root;

    /** Writes a w x h image of a seeded colour pattern (JPEG or PNG by the extension). */
    static void image(Path file, int w, int h, int seed) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 9 + seed * 40) & 0xFF) << 16 | ((y * 7 + seed * 13) & 0xFF) << 8
                        | ((x * y + seed) & 0xFF));
            }
        }
        String ext = file.toString().endsWith(".png") ? "png" : "jpg";
        assertTrue(ImageIO.write(img, ext, file.toFile()));
    }

    /** 3 classes x 4 images of varying sizes, JPEG and PNG mixed. */
    private Path tree() throws IOException {
        int k = 0;
        for (String c : new String[] {"b", "a", "c"}) {
            for (int i = 0; i < 4; i++, k++) {
                image(root.resolve(c).resolve("img" + i + (i % 2 == 0 ? ".jpg" : ".png")), 30 + 7 * k, 24 + 3 * k, k);
            }
        }
        return root;
    }

    private static List<float[]> epoch(BatchLoader loader, int e, List<int[]> labels) {
        List<float[]> out = new ArrayList<>();
        try (BatchLoader.Epoch it = loader.epoch(e)) {
            while (it.hasNext()) {
                Batch b = it.next();
                out.add(java.util.Arrays.copyOf(b.x(), b.size() * 3 * 16 * 16));
                labels.add(java.util.Arrays.copyOf(b.y(), b.size()));
            }
        }
        return out;
    }

    private static BatchLoader loader(ImageSet set, String aug, int threads) {
        return BatchLoader.builder().setData(set).setBatchSize(5).optAugmentation(Augmentation.parse(aug))
                .optSeed(11).optThreads(threads).build();
    }

    @Test
    void streamedTree_holdsNoPixels_keepsClassesAndLabels() throws IOException {
        ImageSet set = ImageFolderReader.readTree(tree(), 16, "s", STREAM);
        assertTrue(set.isStreamed());
        assertEquals(List.of("a", "b", "c"), set.classes());
        assertEquals(12, set.count());
        assertArrayEquals(new int[] {4, 4, 4}, set.classCounts());
        assertThrows(IllegalStateException.class, set::pixels);
        ImageSet sub = set.subset(new int[] {11, 0});
        assertTrue(sub.isStreamed());
        assertEquals(root.resolve("c/img3.png").toAbsolutePath(), sub.files().path(0));
        assertEquals(2, sub.label(0));
        ImageSet two = set.filterClasses(java.util.Set.of(0, 2));
        assertEquals(8, two.count());
        assertEquals(List.of("a", "c"), two.classes());
    }

    @Test
    void autoStreamsAboveThresholdOnly() throws IOException {
        tree();
        ImageFolderReader.LoadOptions auto = new ImageFolderReader.LoadOptions(
                ImageFolderReader.LoadOptions.Streaming.AUTO, 12L * 3 * 16 * 16, ImageFiles.BadImages.FAIL);
        assertFalse(ImageFolderReader.readTree(root, 16, "s", auto).isStreamed());
        assertTrue(ImageFolderReader.readTree(root, 17, "s", auto).isStreamed());
    }

    @Test
    void batches_sameForEveryThreadCount_differPerEpoch() throws IOException {
        ImageSet set = ImageFolderReader.readTree(tree(), 16, "s", STREAM);
        List<int[]> l1 = new ArrayList<>();
        List<int[]> l4 = new ArrayList<>();
        List<float[]> one = epoch(loader(set, "rrc16,jitter,flip", 1), 0, l1);
        List<float[]> four = epoch(loader(set, "rrc16,jitter,flip", 4), 0, l4);
        assertEquals(3, one.size());
        assertEquals(one.size(), four.size());
        for (int b = 0; b < one.size(); b++) {
            assertArrayEquals(one.get(b), four.get(b));
            assertArrayEquals(l1.get(b), l4.get(b));
        }
        List<float[]> next = epoch(loader(set, "rrc16,jitter,flip", 4), 1, new ArrayList<>());
        assertFalse(java.util.Arrays.equals(one.get(0), next.get(0)));
    }

    @Test
    void streamedCenterCrop_equalsDirectDecodeAndFullPath() throws IOException {
        ImageSet set = ImageFolderReader.readTree(tree(), 16, "s", STREAM);
        BatchLoader l = BatchLoader.builder().setData(set).setBatchSize(12).optShuffle(false)
                .optAugmentation(Augmentation.parse("short16,center16")).optThreads(3).build();
        try (BatchLoader.Epoch it = l.epoch(0)) {
            Batch b = it.next();
            assertEquals(12, b.size());
            ImageFolderReader.Decoded d = ImageFolderReader.decodeFull(set.files().path(7), 3);
            float[] expected = new float[3 * 16 * 16];
            assertTrue(Augmentation.parse("short16,center16").applyFull(d.pixels(), 0, 3, d.height(), d.width(), 0,
                    expected, 0, 16, 16));
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(b.x(), 7 * 768, 8 * 768));
            assertEquals(1, b.y()[7]);
        }
    }

    @Test
    void variableOutputSize_isOneLineErrorNamingTheFile() throws IOException {
        ImageSet set = ImageFolderReader.readTree(tree(), 16, "s", STREAM);
        BatchLoader l = BatchLoader.builder().setData(set).setBatchSize(4).optShuffle(false)
                .optAugmentation(Augmentation.parse("short16")).build();
        try (BatchLoader.Epoch it = l.epoch(0)) {
            UserException e = assertThrows(UserException.class, it::hasNext);
            assertTrue(e.getMessage().contains("img0.jpg") && e.getMessage().contains("fixed-size op"),
                    e.getMessage());
        }
    }

    @Test
    void unreadableImage_failNamesIt_skipDropsIt() throws IOException {
        tree();
        Files.writeString(root.resolve("b/broken.jpg"), "not a jpeg");
        ImageSet fail = ImageFolderReader.readTree(root, 16, "s", STREAM);
        try (BatchLoader.Epoch it = loader(fail, "rrc16", 2).epoch(0)) {
            UserException e = assertThrows(UserException.class, () -> {
                while (it.hasNext()) {
                    it.next();
                }
            });
            assertTrue(e.getMessage().contains("broken.jpg") && e.getMessage().contains("bad-images=skip"),
                    e.getMessage());
        }
        ImageSet skip = ImageFolderReader.readTree(root, 16, "s", SKIP);
        int seen = 0;
        try (BatchLoader.Epoch it = loader(skip, "rrc16", 2).epoch(0)) {
            while (it.hasNext()) {
                seen += it.next().size();
            }
        }
        assertEquals(12, seen);
        ImageSet inMemory = ImageFolderReader.readTree(root, 16, "m", new ImageFolderReader.LoadOptions(
                ImageFolderReader.LoadOptions.Streaming.OFF, 0, ImageFiles.BadImages.SKIP));
        assertEquals(12, inMemory.count());
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.readTree(root, 16, "m"));
        assertTrue(e.getMessage().contains("broken.jpg"));
    }

    @Test
    void emptyClassFolder_isErrorNamingIt() throws IOException {
        tree();
        Files.createDirectories(root.resolve("d_empty"));
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.readTree(root, 16, "s", STREAM));
        assertTrue(e.getMessage().contains("d_empty") && e.getMessage().contains("empty class folder"), e.getMessage());
    }
}
