package cambench.harness.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mini-ImageNet streamed from its CSV splits: CloserLook's test transform, cross-domain unions. */
class StreamedFewShotTest {
    @TempDir
    Path root;

    private void miniImagenet() throws IOException {
        Path dir = root.resolve("mini-imagenet");
        Files.createDirectories(dir.resolve("images"));
        String[][] splits = {{"train", "n01", "n02"}, {"val", "n03"}, {"test", "n04", "n05"}};
        for (String[] split : splits) {
            StringBuilder csv = new StringBuilder("filename,label\n");
            for (int c = 1; c < split.length; c++) {
                for (int i = 0; i < 2; i++) {
                    String name = split[c] + "_" + i + ".jpg";
                    ImageIO.write(new BufferedImage(50 + 5 * i, 40, BufferedImage.TYPE_3BYTE_BGR), "jpg",
                            dir.resolve("images").resolve(name).toFile());
                    csv.append(name).append(',').append(split[c]).append('\n');
                }
            }
            Files.writeString(dir.resolve(split[0] + ".csv"), csv);
        }
    }

    @Test
    void miniImagenet_streamed_closerLookTestTransform() throws IOException {
        miniImagenet();
        FewShotCatalog.FewShotSplit s = new FewShotCatalog(root).load("mini-imagenet:size=32,stream=on");
        assertTrue(s.base().isStreamed() && s.novel().isStreamed());
        assertEquals(4, s.base().count());
        assertEquals(List.of("n04", "n05"), s.novel().classes());
        assertEquals("resize36,center32", s.testAugment());
    }

    @Test
    void crossDomain_streamedSourceUnion_keepsFilesAndShiftsLabels() throws IOException {
        miniImagenet();
        FewShotCatalog.FewShotSplit s = new FewShotCatalog(root)
                .load("cross:mini-imagenet:size=32,stream=on->mini-imagenet:size=32,stream=on");
        assertTrue(s.base().isStreamed());
        assertEquals(10, s.base().count());
        assertEquals(List.of("n01", "n02", "n03", "n04", "n05"), s.base().classes());
        assertEquals(4, s.base().label(9));
        assertEquals(root.resolve("mini-imagenet/images/n05_1.jpg").toAbsolutePath(), s.base().files().path(9));
    }
}
