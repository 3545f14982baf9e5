package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    @TempDir
    Path root;

    /** Records of label bytes + 3072 pixels; pixel p of record r = r + p / 1024 (plane index). */
    static byte[] records(int[][] labelBytes) {
        int rec = labelBytes[0].length + 3072;
        byte[] out = new byte[labelBytes.length * rec];
        for (int r = 0; r < labelBytes.length; r++) {
            for (int j = 0; j < labelBytes[r].length; j++) {
                out[r * rec + j] = (byte) labelBytes[r][j];
            }
            for (int p = 0; p < 3072; p++) {
                out[r * rec + labelBytes[r].length + p] = (byte) (r + p / 1024);
            }
        }
        return out;
    }

    private Path cifar10(int[][] testLabels) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("batches.meta.txt"), (String.join("\n", IdxReader.DIGIT_CLASSES) + "\n\n").getBytes());
        Files.write(dir.resolve("test_batch.bin"), records(testLabels));
        return dir;
    }

    @Test
    void cifar10_parentFolder_readsRecordsAsChw() throws IOException {
        cifar10(new int[][] {{3}, {9}});
        ImageSet set = CifarReader.cifar10(root, "test");
        assertEquals("cifar10-test", set.name());
        assertArrayEquals(new int[] {3, 9}, set.labels());
        assertEquals(10, set.classCount());
        byte[] img = TestImages.image(set, 1);
        assertEquals(1, img[0]);
        assertEquals(2, img[1024]);
        assertEquals(3, img[3071]);
    }

    @Test
    void cifar10_labelTwelve_namesRecord() throws IOException {
        Path dir = cifar10(new int[][] {{1}, {12}});
        UserException e = assertThrows(UserException.class, () -> CifarReader.cifar10(dir, "test"));
        assertEquals(dir.resolve("test_batch.bin") + ": record 1: label 12 out of range, expected 0..9",
                e.getMessage());
    }

    @Test
    void cifar10_truncatedBatch_saysNotWholeRecords() throws IOException {
        Path dir = cifar10(new int[][] {{1}});
        Path file = dir.resolve("test_batch.bin");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 3000));
        UserException e = assertThrows(UserException.class, () -> CifarReader.cifar10(dir, "test"));
        assertEquals(file + ": size 3000 bytes is not a whole number of 3073-byte records (truncated?)",
                e.getMessage());
    }

    @Test
    void cifar10_missingTrainBatch_namesFile() throws IOException {
        Path dir = cifar10(new int[][] {{1}});
        UserException e = assertThrows(UserException.class, () -> CifarReader.cifar10(dir, "train"));
        assertTrue(e.getMessage().startsWith(dir.resolve("data_batch_1.bin") + ": not found"), e.getMessage());
    }

    @Test
    void cifar10_missingMeta_namesFile() throws IOException {
        Path dir = cifar10(new int[][] {{1}});
        Files.delete(dir.resolve("batches.meta.txt"));
        UserException e = assertThrows(UserException.class, () -> CifarReader.cifar10(dir, "test"));
        assertTrue(e.getMessage().startsWith(dir.resolve("batches.meta.txt") + ": not found"), e.getMessage());
    }

    @Test
    void cifar100_fineLabels_usedAndCoarseChecked() throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-100-binary"));
        List<String> names = TestImages.classNames(100);
        Files.write(dir.resolve("fine_label_names.txt"), names);
        Files.write(dir.resolve("train.bin"), records(new int[][] {{19, 99}, {0, 42}}));
        ImageSet set = CifarReader.cifar100(dir, "train");
        assertArrayEquals(new int[] {99, 42}, set.labels());
        assertEquals("c42", set.classes().get(42));
        Files.write(dir.resolve("train.bin"), records(new int[][] {{20, 1}}));
        UserException e = assertThrows(UserException.class, () -> CifarReader.cifar100(root, "train"));
        assertTrue(e.getMessage().endsWith("record 0: label 20 out of range, expected 0..19"), e.getMessage());
    }
}
