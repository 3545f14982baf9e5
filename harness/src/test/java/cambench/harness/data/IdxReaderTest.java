package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** IDX images: magic 0x803, n, rows, cols, then pixel i*rows*cols+p = i + p. */
    static byte[] images(int magic, int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols).putInt(magic).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n * rows * cols; i++) {
            b.put((byte) (i / (rows * cols) + i % (rows * cols)));
        }
        return b.array();
    }

    static byte[] labels(int magic, int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private String error(Path images, Path labels) {
        UserException e = assertThrows(UserException.class, () -> IdxReader.read(images, labels, "t"));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void read_rawFiles_givesImagesAndLabels() throws IOException {
        ImageSet set = IdxReader.read(write("i", images(0x803, 3, 2, 4)), write("l", labels(0x801, 9, 0, 5)), "t");
        assertEquals(3, set.count());
        assertEquals(1, set.channels());
        assertEquals(2, set.height());
        assertEquals(4, set.width());
        assertArrayEquals(new int[] {9, 0, 5}, set.labels());
        assertArrayEquals(new byte[] {2, 3, 4, 5, 6, 7, 8, 9}, TestImages.image(set, 2));
    }

    @Test
    void readSplit_gzippedStandardNames_detectsGzipByMagic() throws IOException {
        write("t10k-images-idx3-ubyte.gz", gzip(images(0x803, 2, 3, 3)));
        write("t10k-labels-idx1-ubyte", labels(0x801, 1, 8));
        ImageSet set = IdxReader.fashionMnist(dir, "test");
        assertEquals("fashion-mnist-test", set.name());
        assertEquals("Bag", set.classes().get(set.label(1)));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, TestImages.image(set, 1));
    }

    @Test
    void read_labelsMagicInImagesFile_namesFileAndExpectedMagic() throws IOException {
        Path images = write("train-images-idx3-ubyte.gz", gzip(labels(0x801, 1, 2, 3, 4, 5, 6, 7, 8)));
        String msg = error(images, write("l", labels(0x801, 1)));
        assertEquals(images + ": bad magic 0x00000801, expected 0x00000803 (IDX images)", msg);
    }

    @Test
    void read_truncatedImages_saysTruncated() throws IOException {
        byte[] full = images(0x803, 3, 2, 2);
        Path images = write("i", Arrays.copyOf(full, full.length - 1));
        String msg = error(images, write("l", labels(0x801, 1, 2, 3)));
        assertEquals(images + ": truncated, expected 3 images of 2x2", msg);
    }

    @Test
    void read_truncatedGzip_saysTruncated() throws IOException {
        byte[] gz = gzip(images(0x803, 50, 8, 8));
        Path images = write("i.gz", Arrays.copyOf(gz, gz.length / 2));
        assertTrue(error(images, write("l", labels(0x801, new int[50]))).startsWith(images + ": "));
    }

    @Test
    void read_countMismatch_namesLabelsFile() throws IOException {
        Path labels = write("l", labels(0x801, 1, 2));
        String msg = error(write("i", images(0x803, 3, 2, 2)), labels);
        assertEquals(labels + ": 2 labels, expected 3 to match i", msg);
    }

    @Test
    void read_labelOutOfRange_namesIndex() throws IOException {
        Path labels = write("l", labels(0x801, 1, 10));
        String msg = error(write("i", images(0x803, 2, 2, 2)), labels);
        assertEquals(labels + ": label 10 at index 1 out of range, expected 0..9", msg);
    }

    @Test
    void read_trailingBytes_rejected() throws IOException {
        byte[] full = images(0x803, 1, 2, 2);
        Path images = write("i", Arrays.copyOf(full, full.length + 3));
        assertTrue(error(images, write("l", labels(0x801, 1))).contains("3 bytes after the expected end"));
    }

    @Test
    void readSplit_missingFiles_namesBothNames() {
        UserException e = assertThrows(UserException.class, () -> IdxReader.mnist(dir, "train"));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: not found, expected it or "
                + "train-images-idx3-ubyte"), e.getMessage());
        assertThrows(UserException.class, () -> IdxReader.mnist(dir, "val"));
        assertThrows(UserException.class, () -> IdxReader.mnist(dir.resolve("nope"), "train"));
    }
}
