package cambench.harness.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cambench.harness.datasets.FewShotCatalog.FewShotSplit;
import cambench.api.UserException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cub:split=DIR}: CloserLook's base/val/novel.json choose the classes of each split. */
class CubSplitFilesTest {
    private static final List<String> FOLDERS = List.of("001.Albatross", "002.Grebe", "003.Heron", "004.Wren");

    @TempDir
    Path root;

    @BeforeEach
    void cub() throws IOException {
        Path cub = root.resolve("CUB_200_2011");
        StringBuilder classes = new StringBuilder();
        StringBuilder images = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        StringBuilder split = new StringBuilder();
        int id = 0;
        for (int c = 0; c < FOLDERS.size(); c++) {
            classes.append(c + 1).append(' ').append(FOLDERS.get(c)).append('\n');
            for (int i = 0; i < 2; i++) {
                id++;
                String rel = FOLDERS.get(c) + "/img" + i + ".png";
                Files.createDirectories(cub.resolve("images").resolve(FOLDERS.get(c)));
                ImageIO.write(new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB), "png",
                        cub.resolve("images").resolve(rel).toFile());
                images.append(id).append(' ').append(rel).append('\n');
                labels.append(id).append(' ').append(c + 1).append('\n');
                split.append(id).append(' ').append(i).append('\n');
            }
        }
        Files.writeString(cub.resolve("classes.txt"), classes);
        Files.writeString(cub.resolve("images.txt"), images);
        Files.writeString(cub.resolve("image_class_labels.txt"), labels);
        Files.writeString(cub.resolve("train_test_split.txt"), split);
    }

    /** Writes a split file as CloserLook's write_CUB_filelist.py does (absolute paths of its machine). */
    private void splitFile(String name, String... folders) throws IOException {
        StringBuilder paths = new StringBuilder();
        for (String f : folders) {
            paths.append(paths.length() == 0 ? "" : ", ").append("\"/home/someone/CUB_200_2011/images/").append(f)
                    .append("/img0.png\"");
        }
        Path dir = root.resolve("filelists/CUB");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), "{\"label_names\": [], \"image_names\": [" + paths
                + "], \"image_labels\": []}");
    }

    @Test
    void cub_splitFiles_chooseEachSplitsClasses() throws IOException {
        splitFile("base.json", "004.Wren", "001.Albatross");
        splitFile("val.json", "002.Grebe");
        splitFile("novel.json", "003.Heron", "003.Heron");
        FewShotSplit s = new FewShotCatalog(root).load("cub:size=8,split=filelists/CUB");
        assertEquals(List.of("Albatross", "Wren"), s.base().classes());
        assertEquals(4, s.base().count());
        assertEquals(List.of("Grebe"), s.val().classes());
        assertEquals(List.of("Heron"), s.novel().classes());
        assertEquals(2, s.novel().count());
        // without split files: CloserLook's class-index rule (even base, i % 4 == 1 val, i % 4 == 3 novel)
        FewShotSplit rule = new FewShotCatalog(root).load("cub:size=8");
        assertEquals(List.of("Albatross", "Heron"), rule.base().classes());
        assertEquals(List.of("Wren"), rule.novel().classes());
    }

    @Test
    void cub_badSplitFiles_oneLineErrorNamingTheFile() throws IOException {
        Path dir = root.resolve("filelists/CUB");
        splitFile("base.json", "001.Albatross");
        splitFile("val.json", "002.Grebe");
        UserException missing = assertThrows(UserException.class,
                () -> new FewShotCatalog(root).load("cub:size=8,split=filelists/CUB"));
        assertEquals(dir.resolve("novel.json") + ": not found, expected CloserLook's split file", missing.getMessage());

        splitFile("novel.json", "009.Dodo");
        UserException unknown = assertThrows(UserException.class,
                () -> new FewShotCatalog(root).load("cub:size=8,split=filelists/CUB"));
        assertEquals(dir.resolve("novel.json") + ": class 'Dodo' is not a class of cub-all", unknown.getMessage());

        splitFile("novel.json", "002.Grebe");
        UserException overlap = assertThrows(UserException.class,
                () -> new FewShotCatalog(root).load("cub:size=8,split=filelists/CUB"));
        assertEquals(dir.resolve("novel.json") + ": class 'Grebe' is also in val.json; splits must be disjoint",
                overlap.getMessage());

        Files.writeString(dir.resolve("novel.json"), "{\"image_names\": 3}");
        UserException shape = assertThrows(UserException.class,
                () -> new FewShotCatalog(root).load("cub:size=8,split=filelists/CUB"));
        assertEquals(dir.resolve("novel.json") + ": expected a non-empty array 'image_names' of image paths",
                shape.getMessage());

        Files.writeString(dir.resolve("novel.json"), "{\"image_names\": [");
        UserException json = assertThrows(UserException.class,
                () -> new FewShotCatalog(root).load("cub:size=8,split=filelists/CUB"));
        assertEquals(1, json.getMessage().lines().count(), json.getMessage());
    }
}
