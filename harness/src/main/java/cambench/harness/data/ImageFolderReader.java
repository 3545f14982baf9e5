package cambench.harness.data;

import cambench.api.UserException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Decodes image files (JPEG, PNG, BMP, GIF via javax.imageio) into an {@link ImageSet} [N,3,S,S].
 *
 * <p>Every image is converted to RGB, resized so its shorter side is S and center-cropped to SxS
 * ({@link SquareResize}), once, when the set is read. Sources: (a) an ImageFolder tree
 * {@code root/<class>/**.jpg} with classes in sorted folder-name order (as torchvision), (b) a
 * split CSV whose header has {@code filename} and {@code label} columns (the mini-ImageNet Ravi
 * split format), file names relative to an images folder, classes in sorted label order.
 * {@link #decode} is the one decode loop, also used by {@link CubReader} and
 * {@link StanfordDogsReader}; it runs in parallel but writes image i to slot i, so the result does
 * not depend on the thread count. Missing files, unreadable images and empty class folders are
 * one-line {@code UserException}s naming the file.
 */
public final class ImageFolderReader {
    /** File name extensions taken as images in a folder tree (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    static {
        ImageIO.setUseCache(false);
    }

    private ImageFolderReader() {
    }

    /**
     * Reads an ImageFolder tree: each sub-folder of {@code root} is a class, its image files (any
     * depth, sorted by path) are the samples.
     *
     * @param size side S of the square output
     */
    public static ImageSet readTree(Path root, int size, String name) {
        List<Path> classDirs = classFolders(root);
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = imagesUnder(dir);
            if (images.isEmpty()) {
                throw DataIo.error(dir, "empty class folder, expected at least one image (" + EXTENSIONS + ")");
            }
            for (Path image : images) {
                files.add(image);
                labels.add(classes.size());
            }
            classes.add(dir.getFileName().toString());
        }
        return decode(name, classes, files, labels.stream().mapToInt(Integer::intValue).toArray(), size);
    }

    /**
     * Reads a split CSV: a header with {@code filename} and {@code label} columns (others ignored),
     * then one image a line; {@code filename} is relative to {@code imagesDir}.
     */
    public static ImageSet readCsv(Path csv, Path imagesDir, int size, String name) {
        List<String> lines = DataIo.readLines(csv, "a split CSV with header filename,label");
        if (lines.isEmpty()) {
            throw DataIo.error(csv, "empty, expected a header filename,label");
        }
        List<String> header = List.of(lines.get(0).strip().split(",", -1));
        int fileCol = header.indexOf("filename");
        int labelCol = header.indexOf("label");
        if (fileCol < 0 || labelCol < 0) {
            throw DataIo.error(csv, "header '" + lines.get(0).strip() + "' lacks a filename or label column, "
                    + "expected e.g. filename,label");
        }
        DataIo.requireDir(imagesDir, "the images folder of " + csv.getFileName());
        List<Path> files = new ArrayList<>();
        List<String> labelNames = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).strip().split(",", -1);
            if (fields.length != header.size() || fields[fileCol].isBlank() || fields[labelCol].isBlank()) {
                throw DataIo.error(csv, "line " + (i + 1) + " has " + fields.length + " fields '"
                        + lines.get(i).strip() + "', expected " + header.size() + " (" + String.join(",", header) + ")");
            }
            files.add(imagesDir.resolve(fields[fileCol].strip()));
            labelNames.add(fields[labelCol].strip());
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(labelNames));
        return decode(name, classes, files, labelsOf(labelNames, classes), size);
    }

    /**
     * Decodes {@code files} (image i has label {@code labels[i]}) into [N,3,S,S]; the shared decode
     * loop of all photo loaders.
     *
     * @throws UserException naming the first missing or undecodable file found
     */
    public static ImageSet decode(String name, List<String> classes, List<Path> files, int[] labels, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size " + size);
        }
        if (files.size() != labels.length) {
            throw new IllegalArgumentException(files.size() + " files, " + labels.length + " labels");
        }
        for (Path file : files) {
            DataIo.requireFile(file, "an image file");
        }
        PixelStore store = PixelStore.allocate(files.size(), 3 * size * size);
        IntStream.range(0, files.size()).parallel()
                .forEach(i -> store.setImage(i, decodeSquare(files.get(i), size), 0));
        return new ImageSet(name, classes, labels, 3, size, size, store);
    }

    /** Decodes one image file to RGB [3,S,S] uint8 (resize shorter side to S, center crop). */
    public static byte[] decodeSquare(Path file, int size) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw DataIo.error(file, "cannot decode image (" + e.getMessage() + "), expected JPEG, PNG, BMP or GIF");
        }
        if (image == null) {
            throw DataIo.error(file, "cannot decode image (unknown format), expected JPEG, PNG, BMP or GIF");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        return SquareResize.apply(rgb, h, w, size, 3);
    }

    /** Sub-folders of {@code root}, sorted; fails if there is none. */
    static List<Path> classFolders(Path root) {
        DataIo.requireDir(root, "an image folder tree root/<class>/<image>");
        List<Path> dirs = DataIo.list(root).stream().filter(Files::isDirectory).toList();
        if (dirs.isEmpty()) {
            throw DataIo.error(root, "no class folders, expected root/<class>/<image>");
        }
        return dirs;
    }

    /** Label index in {@code classes} of each name. */
    static int[] labelsOf(List<String> names, List<String> classes) {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            index.put(classes.get(k), k);
        }
        return names.stream().mapToInt(index::get).toArray();
    }

    private static List<Path> imagesUnder(Path dir) {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw DataIo.error(dir, "cannot list folder (" + e.getMessage() + ")");
        }
    }

    private static boolean isImage(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
