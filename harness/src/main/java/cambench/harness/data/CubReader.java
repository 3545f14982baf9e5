package cambench.harness.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CUB-200-2011 from its standard layout into an {@link ImageSet} [N,3,S,S].
 *
 * <p>{@code root} is the extracted {@code CUB_200_2011/} folder or its parent; it holds
 * {@code images/}, {@code images.txt} ({@code <id> <relative path>}),
 * {@code image_class_labels.txt} ({@code <id> <class id, 1-based>}),
 * {@code train_test_split.txt} ({@code <id> <1 = train, 0 = test>}) and {@code classes.txt}
 * ({@code <class id> <NNN.Name>}). Class names drop the {@code NNN.} prefix. Split
 * {@code "all"} keeps every image (the few-shot protocols split by class with
 * {@link ImageSet#filterClasses}). Images are decoded once by {@link ImageFolderReader#decode}.
 */
public final class CubReader {
    private CubReader() {
    }

    /**
     * Reads split {@code "train"}, {@code "test"} or {@code "all"}, images in id order, named
     * {@code cub-<split>}.
     *
     * @param size side S of the square images
     */
    public static ImageSet read(Path root, String split, int size) {
        return read(root, split, size, ImageFolderReader.LoadOptions.IN_MEMORY);
    }

    /** Reads a split as {@link #read(Path, String, int)}, in memory or streamed by {@code options}. */
    public static ImageSet read(Path root, String split, int size, ImageFolderReader.LoadOptions options) {
        DataIo.requireSplit("cub", split, "train", "test", "all");
        DataIo.requireDir(root, "CUB_200_2011/ or its parent");
        Path dir = Files.isDirectory(root.resolve("CUB_200_2011")) ? root.resolve("CUB_200_2011") : root;
        List<String> classFile = column(dir.resolve("classes.txt"), "<class id> <name>", -1);
        List<String> classes = new ArrayList<>();
        for (String c : classFile) {
            classes.add(c.replaceFirst("^\\d+\\.", ""));
        }
        List<String> paths = column(dir.resolve("images.txt"), "<image id> <relative path>", -1);
        int n = paths.size();
        List<String> classIds = column(dir.resolve("image_class_labels.txt"), "<image id> <class id>", n);
        List<String> isTrain = column(dir.resolve("train_test_split.txt"), "<image id> <is train>", n);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Path labelFile = dir.resolve("image_class_labels.txt");
        for (int i = 0; i < n; i++) {
            boolean train = isTrain.get(i).equals("1");
            if (split.equals("all") || train == split.equals("train")) {
                int label = parseInt(classIds.get(i), labelFile, i + 1) - 1;
                if (label < 0 || label >= classes.size()) {
                    throw DataIo.error(labelFile, "line " + (i + 1) + ": class " + (label + 1)
                            + " out of range, expected 1.." + classes.size());
                }
                files.add(dir.resolve("images").resolve(paths.get(i)));
                labels.add(label);
            }
        }
        return ImageFolderReader.load("cub-" + split, classes, files,
                labels.stream().mapToInt(Integer::intValue).toArray(), size, options, dir.resolve("images"), true);
    }

    /**
     * The second field of each line {@code "<k> <value>"}, whose first field must be k = line
     * number (ids 1..n); {@code expectedLines} >= 0 also checks the line count.
     */
    private static List<String> column(Path file, String format, int expectedLines) {
        List<String> lines = DataIo.readLines(file, "lines '" + format + "'");
        if (expectedLines >= 0 && lines.size() != expectedLines) {
            throw DataIo.error(file, lines.size() + " lines, expected " + expectedLines + " to match images.txt");
        }
        List<String> values = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).strip().split("\\s+", 2);
            if (f.length != 2 || parseInt(f[0], file, i + 1) != i + 1) {
                throw DataIo.error(file, "line " + (i + 1) + " '" + lines.get(i).strip() + "', expected '"
                        + format + "' with ids 1, 2, ...");
            }
            values.add(f[1].strip());
        }
        return values;
    }

    private static int parseInt(String s, Path file, int line) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw DataIo.error(file, "line " + line + ": '" + s + "' is not an integer");
        }
    }
}
