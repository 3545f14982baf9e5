package cambench.harness.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Stanford Dogs into an {@link ImageSet} [N,3,S,S].
 *
 * <p>{@code root} holds {@code Images/<wnid>-<breed>/*.jpg} (from images.tar); the 120 class
 * folders, sorted, are the classes. Split {@code "all"} reads the whole tree. Splits
 * {@code "train"} and {@code "test"} read {@code train_list.txt} / {@code test_list.txt} in
 * {@code root}: one image a line, its path relative to {@code Images/}
 * ({@code n02085620-Chihuahua/n02085620_10074.jpg}), optionally followed by whitespace and
 * anything else (e.g. the 1-based label, ignored); the class is the path's folder. The official
 * lists are MATLAB files; convert them once, e.g. with scipy:
 * {@code "\n".join(f[0][0] for f in loadmat("train_list.mat")["file_list"])}.
 * Images are decoded once by {@link ImageFolderReader#decode}.
 */
public final class StanfordDogsReader {
    private StanfordDogsReader() {
    }

    /**
     * Reads split {@code "train"}, {@code "test"} or {@code "all"}, named {@code dogs-<split>}.
     *
     * @param size side S of the square images
     */
    public static ImageSet read(Path root, String split, int size) {
        return read(root, split, size, ImageFolderReader.LoadOptions.IN_MEMORY);
    }

    /** Reads a split as {@link #read(Path, String, int)}, in memory or streamed by {@code options}. */
    public static ImageSet read(Path root, String split, int size, ImageFolderReader.LoadOptions options) {
        DataIo.requireSplit("dogs", split, "train", "test", "all");
        Path images = root.resolve("Images");
        if (split.equals("all")) {
            return ImageFolderReader.readTree(images, size, "dogs-all", options);
        }
        List<String> classes = new ArrayList<>();
        for (Path dir : ImageFolderReader.classFolders(images)) {
            classes.add(dir.getFileName().toString());
        }
        Path list = root.resolve(split + "_list.txt");
        List<String> lines = DataIo.readLines(list, "one image path relative to Images/ a line");
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String rel = lines.get(i).strip().split("\\s+", 2)[0];
            int slash = rel.indexOf('/');
            String cls = slash > 0 ? rel.substring(0, slash) : "";
            if (!classes.contains(cls)) {
                throw DataIo.error(list, "line " + (i + 1) + " '" + rel + "' is not under a class folder of "
                        + images + ", expected <class folder>/<file>.jpg");
            }
            files.add(images.resolve(rel));
            names.add(cls);
        }
        return ImageFolderReader.load("dogs-" + split, classes, files, ImageFolderReader.labelsOf(names, classes), size,
                options, images, true);
    }
}
