package cambench.harness.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import cambench.harness.data.Augmentation;
import cambench.harness.data.Batch;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.Normalization;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cub} and {@code stanford-dogs} classification specs with the paper's 600/448 transforms. */
class FineGrainedSpecsTest {
    @TempDir
    Path root;

    private static void jpeg(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x & 0xFF) << 16 | (y & 0xFF) << 8 | ((x + y) & 0xFF));
            }
        }
        ImageIO.write(img, "jpg", file.toFile());
    }

    /** CUB layout: 2 classes x 2 images, image 0 train, image 1 test. */
    private void cub() throws IOException {
        Path cub = root.resolve("CUB_200_2011");
        StringBuilder classes = new StringBuilder();
        StringBuilder images = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        StringBuilder split = new StringBuilder();
        List<String> folders = List.of("001.Albatross", "002.Grebe");
        int id = 0;
        for (int c = 0; c < folders.size(); c++) {
            classes.append(c + 1).append(' ').append(folders.get(c)).append('\n');
            for (int i = 0; i < 2; i++) {
                id++;
                String rel = folders.get(c) + "/img" + i + ".jpg";
                jpeg(cub.resolve("images").resolve(rel), 120 + 10 * id, 90);
                images.append(id).append(' ').append(rel).append('\n');
                labels.append(id).append(' ').append(c + 1).append('\n');
                split.append(id).append(' ').append(i == 0 ? 1 : 0).append('\n');
            }
        }
        Files.writeString(cub.resolve("classes.txt"), classes);
        Files.writeString(cub.resolve("images.txt"), images);
        Files.writeString(cub.resolve("image_class_labels.txt"), labels);
        Files.writeString(cub.resolve("train_test_split.txt"), split);
    }

    @Test
    void cub_streamedByDefault_paperTransformsGive448() throws IOException {
        cub();
        DataSplit s = new DatasetCatalog(root).load("cub:size=60,crop=48,stream=on");
        assertTrue(s.train().isStreamed());
        assertEquals(2, s.train().count());
        assertEquals(List.of("Albatross", "Grebe"), s.train().classes());
        assertEquals("resize60,center48", s.testAugment());
        assertEquals("resize60,crop48,flip", s.description().get("paper_train_augment"));
        DataSplit paper = new DatasetCatalog(root).load("cub");
        assertEquals("resize600,center448", paper.testAugment());
        assertEquals("resize600,crop448,flip", paper.description().get("paper_train_augment"));
        assertTrue(paper.train().isStreamed());
        BatchLoader l = BatchLoader.builder().setData(paper.train()).setBatchSize(2)
                .optAugmentation(Augmentation.parse("resize600,crop448,flip", Normalization.of(paper.train())))
                .optThreads(2).build();
        assertArrayEquals(new int[] {3, 448, 448}, l.sampleShape());
        try (BatchLoader.Epoch it = l.epoch(0)) {
            Batch b = it.next();
            assertEquals(2, b.size());
            assertEquals(448, b.height());
        }
    }

    @Test
    void stanfordDogs_listsChooseSplits_inMemoryWhenAsked() throws IOException {
        Path dogs = root.resolve("stanford-dogs");
        for (String breed : new String[] {"n02085620-Chihuahua", "n02085782-Japanese_spaniel"}) {
            for (int i = 0; i < 2; i++) {
                jpeg(dogs.resolve("Images").resolve(breed).resolve(breed.substring(0, 9) + "_" + i + ".jpg"), 80, 70);
            }
        }
        Files.writeString(dogs.resolve("train_list.txt"), "n02085620-Chihuahua/n02085620_0.jpg 1\n"
                + "n02085782-Japanese_spaniel/n02085782_0.jpg 2\nn02085782-Japanese_spaniel/n02085782_1.jpg 2\n");
        Files.writeString(dogs.resolve("test_list.txt"), "n02085620-Chihuahua/n02085620_1.jpg 1\n");
        DataSplit s = new DatasetCatalog(root).load("stanford-dogs:size=32,crop=24,stream=off");
        assertFalse(s.train().isStreamed());
        assertEquals(3, s.train().count());
        assertEquals(1, s.test().count());
        assertArrayEquals(new int[] {0, 1, 1}, s.train().labels());
        assertEquals("center24", s.testAugment());
        DataSplit streamed = new DatasetCatalog(root).load("stanford-dogs");
        assertTrue(streamed.train().isStreamed());
        assertEquals("resize600,center448", streamed.testAugment());
    }

    @Test
    void missingFolderAndBadOptions_oneLineErrors() {
        UserException e = assertThrows(UserException.class, () -> new DatasetCatalog(root).load("stanford-dogs"));
        assertTrue(e.getMessage().contains("stanford-dogs") && e.getMessage().contains("train_list.txt"),
                e.getMessage());
        UserException bad = assertThrows(UserException.class,
                () -> new DatasetCatalog(root).load("imagefolder:root=" + root + ",stream=maybe"));
        assertTrue(bad.getMessage().contains("stream must be on, off or auto"), bad.getMessage());
    }
}
