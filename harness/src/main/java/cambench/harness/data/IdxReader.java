package cambench.harness.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads MNIST-style IDX files (raw or gzipped) into a one-channel {@link ImageSet} [N,1,H,W].
 *
 * <p>Images: big-endian int32 magic 0x00000803, count, rows, cols, then count*rows*cols uint8
 * pixels. Labels: magic 0x00000801, count, then count uint8 labels. Gzip is detected by the
 * magic bytes 1f 8b, not by the name. Wrong magic, truncation, trailing bytes, a count mismatch
 * or a label outside the class list are one-line {@code UserException}s naming the file.
 * Debian's {@code dataset-fashion-mnist} installs the files in {@link #FASHION_MNIST_DIR}.
 */
public final class IdxReader {
    /** IDX magic of a uint8 3-D array (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** IDX magic of a uint8 1-D array (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Where Debian's dataset-fashion-mnist package installs Fashion-MNIST. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** MNIST class names "0".."9". */
    public static final List<String> DIGIT_CLASSES =
            IntStream.range(0, 10).mapToObj(Integer::toString).toList();
    /** Fashion-MNIST class names in label order. */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private IdxReader() {
    }

    /** Reads an images/labels pair with the digit class names {@link #DIGIT_CLASSES}. */
    public static ImageSet read(Path imagesFile, Path labelsFile, String name) {
        return read(imagesFile, labelsFile, name, DIGIT_CLASSES);
    }

    /**
     * Reads an images/labels pair; every label must index {@code classes}.
     *
     * @return [N,1,rows,cols] with N the shared count
     */
    public static ImageSet read(Path imagesFile, Path labelsFile, String name, List<String> classes) {
        byte[] labelBytes = readLabels(labelsFile);
        try (InputStream in = DataIo.open(imagesFile, "an IDX images file")) {
            int[] header = readHeader(in, imagesFile, IMAGES_MAGIC, 3, "IDX images");
            int count = header[0];
            int rows = header[1];
            int cols = header[2];
            if (count != labelBytes.length) {
                throw DataIo.error(labelsFile, labelBytes.length + " labels, expected " + count
                        + " to match " + imagesFile.getFileName());
            }
            String expected = "expected " + count + " images of " + rows + "x" + cols;
            PixelStore store = PixelStore.allocate(count, rows * cols);
            byte[] buf = new byte[rows * cols];
            for (int i = 0; i < count; i++) {
                DataIo.readFully(in, buf, 0, buf.length, imagesFile, expected);
                store.setImage(i, buf, 0);
            }
            DataIo.requireEnd(in, imagesFile, expected);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = labelBytes[i] & 0xFF;
                if (labels[i] >= classes.size()) {
                    throw DataIo.error(labelsFile, "label " + labels[i] + " at index " + i
                            + " out of range, expected 0.." + (classes.size() - 1));
                }
            }
            return new ImageSet(name, classes, labels, 1, rows, cols, store);
        } catch (IOException e) {
            throw DataIo.error(imagesFile, "cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads split {@code "train"} or {@code "test"} from {@code dir} holding the standard names
     * {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-...}.
     */
    public static ImageSet readSplit(Path dir, String split, String name, List<String> classes) {
        DataIo.requireSplit(name, split, "train", "test");
        DataIo.requireDir(dir, "a folder with " + prefix(split) + "-images-idx3-ubyte[.gz]");
        String prefix = prefix(split);
        return read(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"),
                name + "-" + split, classes);
    }

    /** Fashion-MNIST split {@code "train"} or {@code "test"} from {@code dir}, named {@code fashion-mnist-<split>}. */
    public static ImageSet fashionMnist(Path dir, String split) {
        return readSplit(dir, split, "fashion-mnist", FASHION_CLASSES);
    }

    /** MNIST split {@code "train"} or {@code "test"} from {@code dir}, named {@code mnist-<split>}. */
    public static ImageSet mnist(Path dir, String split) {
        return readSplit(dir, split, "mnist", DIGIT_CLASSES);
    }

    private static String prefix(String split) {
        return split.equals("train") ? "train" : "t10k";
    }

    /** {@code dir/base}, else {@code dir/base.gz}; fails naming both. */
    private static Path find(Path dir, String base) {
        Path raw = dir.resolve(base);
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        return DataIo.requireFile(gz, "it or " + base + " (IDX, raw or gzipped)");
    }

    private static byte[] readLabels(Path file) {
        try (InputStream in = DataIo.open(file, "an IDX labels file")) {
            int count = readHeader(in, file, LABELS_MAGIC, 1, "IDX labels")[0];
            byte[] labels = new byte[count];
            String expected = "expected " + count + " labels";
            DataIo.readFully(in, labels, 0, count, file, expected);
            DataIo.requireEnd(in, file, expected);
            return labels;
        } catch (IOException e) {
            throw DataIo.error(file, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads magic and {@code dims} big-endian int32 sizes; returns the sizes. */
    private static int[] readHeader(InputStream in, Path file, int magic, int dims, String kind) {
        byte[] head = new byte[4 + 4 * dims];
        DataIo.readFully(in, head, 0, head.length, file, "expected a " + head.length + "-byte " + kind + " header");
        int found = readInt(head, 0);
        if (found != magic) {
            throw DataIo.error(file, String.format("bad magic 0x%08x, expected 0x%08x (%s)", found, magic, kind));
        }
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = readInt(head, 4 + 4 * d);
            if (sizes[d] < 0 || (d > 0 && sizes[d] == 0)) {
                throw DataIo.error(file, "bad size " + sizes[d] + " in header dimension " + d + " (" + kind + ")");
            }
        }
        if (dims > 1 && (long) sizes[1] * sizes[2] > PixelStore.MAX_CHUNK_BYTES) {
            throw DataIo.error(file, "image of " + sizes[1] + "x" + sizes[2] + " too large (" + kind + ")");
        }
        return sizes;
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
