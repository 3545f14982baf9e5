package cambench.harness.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 and CIFAR-100 binary versions into an {@link ImageSet} [N,3,32,32].
 *
 * <p>CIFAR-10 ({@code cifar-10-batches-bin/}): {@code data_batch_1..5.bin} (train) and
 * {@code test_batch.bin}, records of 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B,
 * row-major, i.e. already [C,H,W]); class names from {@code batches.meta.txt}. CIFAR-100
 * ({@code cifar-100-binary/}): {@code train.bin}, {@code test.bin}, records of coarse label +
 * fine label + 3072 bytes; the set uses the 100 fine labels and {@code fine_label_names.txt}.
 * {@code dir} may be the extracted folder itself or its parent. Files must be raw (as extracted
 * from the tarball); a size that is not a whole number of records, a label out of range or a
 * missing file is a one-line {@code UserException} naming the file.
 */
public final class CifarReader {
    private static final int PIXELS = 3 * 32 * 32;

    private CifarReader() {
    }

    /** CIFAR-10 split {@code "train"} (50000) or {@code "test"} (10000), named {@code cifar10-<split>}. */
    public static ImageSet cifar10(Path dir, String split) {
        DataIo.requireSplit("cifar10", split, "train", "test");
        Path root = resolve(dir, "cifar-10-batches-bin");
        List<Path> files = new ArrayList<>();
        if (split.equals("train")) {
            for (int b = 1; b <= 5; b++) {
                files.add(root.resolve("data_batch_" + b + ".bin"));
            }
        } else {
            files.add(root.resolve("test_batch.bin"));
        }
        List<String> classes = classNames(root.resolve("batches.meta.txt"), 10);
        return read("cifar10-" + split, files, new int[] {10}, classes,
                "data_batch_1..5.bin and test_batch.bin (cifar-10-binary.tar.gz extracted)");
    }

    /** CIFAR-100 split {@code "train"} (50000) or {@code "test"} (10000) with fine labels, named {@code cifar100-<split>}. */
    public static ImageSet cifar100(Path dir, String split) {
        DataIo.requireSplit("cifar100", split, "train", "test");
        Path root = resolve(dir, "cifar-100-binary");
        List<String> classes = classNames(root.resolve("fine_label_names.txt"), 100);
        return read("cifar100-" + split, List.of(root.resolve(split + ".bin")), new int[] {20, 100}, classes,
                "train.bin and test.bin (cifar-100-binary.tar.gz extracted)");
    }

    private static Path resolve(Path dir, String standardName) {
        DataIo.requireDir(dir, standardName + "/ or its parent");
        Path inner = dir.resolve(standardName);
        return Files.isDirectory(inner) ? inner : dir;
    }

    private static List<String> classNames(Path file, int expected) {
        List<String> names = new ArrayList<>();
        for (String line : DataIo.readLines(file, "the " + expected + " class names, one a line")) {
            names.add(line.strip());
        }
        if (names.size() != expected || names.contains("")) {
            throw DataIo.error(file, names.size() + " lines, expected " + expected + " non-blank class names");
        }
        return names;
    }

    /**
     * Reads records of {@code limits.length} label bytes + 3072 pixel bytes; label byte {@code j}
     * must be below {@code limits[j]}; the last label byte is the image's label.
     */
    private static ImageSet read(String name, List<Path> files, int[] limits, List<String> classes,
            String expectedFiles) {
        int recordBytes = limits.length + PIXELS;
        int total = 0;
        for (Path file : files) {
            DataIo.requireFile(file, expectedFiles);
            long size = DataIo.size(file);
            if (size % recordBytes != 0) {
                throw DataIo.error(file, "size " + size + " bytes is not a whole number of " + recordBytes
                        + "-byte records (truncated?)");
            }
            total = Math.addExact(total, (int) (size / recordBytes));
        }
        PixelStore store = PixelStore.allocate(total, PIXELS);
        int[] labels = new int[total];
        byte[] record = new byte[recordBytes];
        int i = 0;
        for (Path file : files) {
            int n = (int) (DataIo.size(file) / recordBytes);
            String expected = "expected " + n + " records of " + recordBytes + " bytes";
            try (InputStream buffered = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                for (int r = 0; r < n; r++, i++) {
                    DataIo.readFully(buffered, record, 0, recordBytes, file, expected);
                    for (int j = 0; j < limits.length; j++) {
                        int label = record[j] & 0xFF;
                        if (label >= limits[j]) {
                            throw DataIo.error(file, "record " + r + ": label " + label
                                    + " out of range, expected 0.." + (limits[j] - 1));
                        }
                    }
                    labels[i] = record[limits.length - 1] & 0xFF;
                    store.setImage(i, record, limits.length);
                }
            } catch (IOException e) {
                throw DataIo.error(file, "cannot read (" + e.getMessage() + ")");
            }
        }
        return new ImageSet(name, classes, labels, 3, 32, 32, store);
    }
}
