package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    @TempDir
    Path root;

    /** Writes a w x h PNG, left half {@code left}, right half {@code right} (0xRRGGBB). */
    static Path png(Path file, int w, int h, int left, int right) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? left : right);
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void readTree_twoClasses_sortedClassesAndSolidColours() throws IOException {
        png(root.resolve("zebra/a.png"), 40, 20, 0xFF0000, 0xFF0000);
        png(root.resolve("ant/b.png"), 16, 16, 0x00FF00, 0x00FF00);
        png(root.resolve("ant/sub/c.PNG"), 16, 32, 0x0000FF, 0x0000FF);
        Files.writeString(root.resolve("ant/notes.txt"), "ignored");
        ImageSet set = ImageFolderReader.readTree(root, 8, "tree");
        assertEquals(List.of("ant", "zebra"), set.classes());
        assertArrayEquals(new int[] {0, 0, 1}, set.labels());
        assertEquals(3, set.channels());
        assertEquals(8, set.height());
        byte[] red = TestImages.image(set, 2);
        assertEquals(255, red[0] & 0xFF);
        assertEquals(255, red[63] & 0xFF);
        assertEquals(0, red[64]);
        assertEquals(255, TestImages.image(set, 1)[128 + 10] & 0xFF); // sub/c.PNG: blue plane
    }

    @Test
    void decodeSquare_wideTwoColour_centerCropKeepsBothHalves() throws IOException {
        // 64x32, left red / right blue -> shorter side 16 gives 32x16, center 16x16 crop spans x 8..23
        byte[] img = ImageFolderReader.decodeSquare(png(root.resolve("w.png"), 64, 32, 0xFF0000, 0x0000FF), 16);
        assertEquals(255, img[0] & 0xFF); // R at (0,0)
        assertEquals(0, img[15] & 0xFF); // R at (0,15)
        assertEquals(255, img[2 * 256 + 15] & 0xFF); // B at (0,15)
        int mid = img[7] & 0xFF;
        assertTrue(mid > 200, "left of the edge stays red: " + mid);
    }

    @Test
    void readCsv_raviFormat_readsListedImages() throws IOException {
        Path images = root.resolve("images");
        png(images.resolve("n02_1.png"), 10, 10, 0x808080, 0x808080);
        png(images.resolve("n01_1.png"), 10, 10, 0x101010, 0x101010);
        Path csv = Files.writeString(root.resolve("train.csv"), "filename,label\nn02_1.png,n02\nn01_1.png,n01\n");
        ImageSet set = ImageFolderReader.readCsv(csv, images, 4, "mini");
        assertEquals(List.of("n01", "n02"), set.classes());
        assertArrayEquals(new int[] {1, 0}, set.labels());
        assertEquals(0x10, TestImages.image(set, 1)[5]);
    }

    @Test
    void readCsv_badHeader_saysExpectedColumns() throws IOException {
        Path csv = Files.writeString(root.resolve("s.csv"), "file,class\na.png,x\n");
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.readCsv(csv, root, 4, "m"));
        assertEquals(csv + ": header 'file,class' lacks a filename or label column, expected e.g. filename,label",
                e.getMessage());
    }

    @Test
    void readCsv_missingImage_namesFile() throws IOException {
        Path csv = Files.writeString(root.resolve("s.csv"), "filename,label\ngone.jpg,x\n");
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.readCsv(csv, root, 4, "m"));
        assertEquals(root.resolve("gone.jpg") + ": not found, expected an image file", e.getMessage());
    }

    @Test
    void readTree_emptyClassFolder_namesFolder() throws IOException {
        png(root.resolve("a/x.png"), 4, 4, 0, 0);
        Files.createDirectories(root.resolve("b"));
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.readTree(root, 4, "t"));
        assertTrue(e.getMessage().startsWith(root.resolve("b") + ": empty class folder"), e.getMessage());
    }

    @Test
    void readTree_garbageJpeg_saysCannotDecode() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Path bad = Files.writeString(root.resolve("a/x.jpg"), "not an image");
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.readTree(root, 4, "t"));
        assertTrue(e.getMessage().startsWith(bad + ": cannot decode image"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void readTree_missingRoot_saysFolderNotFound() {
        UserException e = assertThrows(UserException.class,
                () -> ImageFolderReader.readTree(root.resolve("nope"), 4, "t"));
        assertTrue(e.getMessage().startsWith(root.resolve("nope") + ": folder not found"), e.getMessage());
    }

    @Test
    void cubReader_standardLayout_splitsAndStripsPrefix() throws IOException {
        Path cub = root.resolve("CUB_200_2011");
        png(cub.resolve("images/001.Albatross/a.png"), 6, 6, 0xFFFFFF, 0xFFFFFF);
        png(cub.resolve("images/002.Grebe/b.png"), 6, 6, 0, 0);
        png(cub.resolve("images/002.Grebe/c.png"), 6, 6, 0, 0);
        Files.writeString(cub.resolve("classes.txt"), "1 001.Albatross\n2 002.Grebe\n");
        Files.writeString(cub.resolve("images.txt"),
                "1 001.Albatross/a.png\n2 002.Grebe/b.png\n3 002.Grebe/c.png\n");
        Files.writeString(cub.resolve("image_class_labels.txt"), "1 1\n2 2\n3 2\n");
        Files.writeString(cub.resolve("train_test_split.txt"), "1 1\n2 0\n3 1\n");
        ImageSet train = CubReader.read(root, "train", 4);
        assertEquals(List.of("Albatross", "Grebe"), train.classes());
        assertArrayEquals(new int[] {0, 1}, train.labels());
        assertEquals(3, CubReader.read(cub, "all", 4).count());
        Files.writeString(cub.resolve("image_class_labels.txt"), "1 1\n2 3\n3 2\n");
        UserException e = assertThrows(UserException.class, () -> CubReader.read(cub, "all", 4));
        assertEquals(cub.resolve("image_class_labels.txt") + ": line 2: class 3 out of range, expected 1..2",
                e.getMessage());
        Files.writeString(cub.resolve("train_test_split.txt"), "1 1\n2 0\n");
        assertThrows(UserException.class, () -> CubReader.read(cub, "all", 4));
    }

    @Test
    void stanfordDogs_listFile_classFromFolder() throws IOException {
        png(root.resolve("Images/n1-Pug/a.png"), 6, 6, 0, 0);
        png(root.resolve("Images/n2-Akita/b.png"), 6, 6, 0, 0);
        Files.writeString(root.resolve("test_list.txt"), "n2-Akita/b.png 2\n");
        ImageSet test = StanfordDogsReader.read(root, "test", 4);
        assertEquals(List.of("n1-Pug", "n2-Akita"), test.classes());
        assertArrayEquals(new int[] {1}, test.labels());
        assertEquals(2, StanfordDogsReader.read(root, "all", 4).count());
        Files.writeString(root.resolve("train_list.txt"), "x.png\n");
        assertThrows(UserException.class, () -> StanfordDogsReader.read(root, "train", 4));
    }
}
