package cambench.harness.data;

import cambench.api.UserException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
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
 *
 * <p>With {@link LoadOptions} a set is either decoded into memory as above or <em>streamed</em>:
 * only the file list is kept ({@link ImageFiles}) and the {@link BatchLoader} decodes each image
 * at its own size every epoch in a pool of decoder threads, so resident memory does not grow
 * with the data set. {@link LoadOptions.Streaming#AUTO} streams when the in-memory pixels
 * (N x 3 x S x S bytes) would exceed a threshold.
 */
public final class ImageFolderReader {
    /** File name extensions taken as images in a folder tree (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    static {
        ImageIO.setUseCache(false);
    }

    private ImageFolderReader() {
    }

    /** A decoded image: uint8 [C,H,W]. */
    public record Decoded(byte[] pixels, int height, int width) {
    }

    /**
     * How a photo loader holds its images.
     *
     * @param streaming in memory, streamed, or by size
     * @param thresholdBytes AUTO streams above this many in-memory pixel bytes
     * @param badImages what an unreadable image does (streamed and in-memory alike)
     */
    public record LoadOptions(Streaming streaming, long thresholdBytes, ImageFiles.BadImages badImages) {
        /** Default AUTO threshold: 256 MiB of decoded pixels. */
        public static final long DEFAULT_THRESHOLD = 256L << 20;
        /** Decode everything into memory, fail on a bad image (the behaviour of the plain readers). */
        public static final LoadOptions IN_MEMORY = new LoadOptions(Streaming.OFF, DEFAULT_THRESHOLD,
                ImageFiles.BadImages.FAIL);

        /** In memory, streamed, or streamed above the threshold. */
        public enum Streaming {
            /** Always decode into memory. */
            OFF,
            /** Always stream from the files. */
            ON,
            /** Stream when N x 3 x S x S exceeds the threshold. */
            AUTO;

            /**
             * Parses {@code on}, {@code off} or {@code auto}.
             *
             * @throws UserException naming {@code where} otherwise
             */
            public static Streaming parse(String value, String where) {
                return switch (value.strip().toLowerCase(Locale.ROOT)) {
                    case "on", "true", "yes" -> ON;
                    case "off", "false", "no" -> OFF;
                    case "auto" -> AUTO;
                    default -> throw new UserException(where + ": stream must be on, off or auto, got '" + value + "'");
                };
            }
        }

        /** Whether {@code count} images at side {@code size} are streamed. */
        public boolean streams(int count, int size) {
            return switch (streaming) {
                case ON -> true;
                case OFF -> false;
                case AUTO -> (long) count * 3 * size * size > thresholdBytes;
            };
        }
    }

    /**
     * Reads an ImageFolder tree: each sub-folder of {@code root} is a class, its image files (any
     * depth, sorted by path) are the samples.
     *
     * @param size side S of the square output
     */
    public static ImageSet readTree(Path root, int size, String name) {
        return readTree(root, size, name, LoadOptions.IN_MEMORY);
    }

    /**
     * Reads an ImageFolder tree as {@link #readTree(Path, int, String)}, in memory or streamed by
     * {@code options}; a streamed set has the nominal shape [3,S,S].
     */
    public static ImageSet readTree(Path root, int size, String name, LoadOptions options) {
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
        return load(name, classes, files, labels.stream().mapToInt(Integer::intValue).toArray(), size, options, root,
                false);
    }

    /**
     * Reads a split CSV: a header with {@code filename} and {@code label} columns (others ignored),
     * then one image a line; {@code filename} is relative to {@code imagesDir}.
     */
    public static ImageSet readCsv(Path csv, Path imagesDir, int size, String name) {
        return readCsv(csv, imagesDir, size, name, LoadOptions.IN_MEMORY);
    }

    /** Reads a split CSV, in memory or streamed by {@code options}. */
    public static ImageSet readCsv(Path csv, Path imagesDir, int size, String name, LoadOptions options) {
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
        return load(name, classes, files, labelsOf(labelNames, classes), size, options, imagesDir, true);
    }

    /**
     * Decodes {@code files} into memory ({@link #decode}) or keeps them as a streamed set, as
     * {@code options} say; {@code checkFiles} checks that every listed file exists (lists read
     * from a CSV or index file; a folder walk found them already).
     */
    public static ImageSet load(String name, List<String> classes, List<Path> files, int[] labels, int size,
            LoadOptions options, Path root, boolean checkFiles) {
        if (!options.streams(files.size(), size)) {
            return decode(name, classes, files, labels, size, options.badImages());
        }
        if (checkFiles) {
            for (Path file : files) {
                DataIo.requireFile(file, "an image file");
            }
        }
        return ImageSet.streamed(name, classes, labels, 3, size, ImageFiles.of(root, files, options.badImages()));
    }

    /**
     * Decodes {@code files} (image i has label {@code labels[i]}) into [N,3,S,S]; the shared decode
     * loop of all photo loaders.
     *
     * @throws UserException naming the first missing or undecodable file found
     */
    public static ImageSet decode(String name, List<String> classes, List<Path> files, int[] labels, int size) {
        return decode(name, classes, files, labels, size, ImageFiles.BadImages.FAIL);
    }

    /**
     * Decodes as {@link #decode(String, List, List, int[], int)}; with {@link ImageFiles.BadImages#SKIP}
     * an unreadable image is reported on stderr and left out.
     */
    public static ImageSet decode(String name, List<String> classes, List<Path> files, int[] labels, int size,
            ImageFiles.BadImages badPolicy) {
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
        boolean[] bad = new boolean[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                store.setImage(i, decodeSquare(files.get(i), size), 0);
            } catch (UserException e) {
                if (badPolicy == ImageFiles.BadImages.FAIL) {
                    throw e;
                }
                bad[i] = true;
            }
        });
        ImageSet set = new ImageSet(name, classes, labels, 3, size, size, store);
        int good = 0;
        for (int i = 0; i < bad.length; i++) {
            if (bad[i]) {
                System.err.println("warning: skipping unreadable image " + files.get(i));
            } else {
                good++;
            }
        }
        if (good == bad.length) {
            return set;
        }
        int[] keep = new int[good];
        for (int i = 0, j = 0; i < bad.length; i++) {
            if (!bad[i]) {
                keep[j++] = i;
            }
        }
        return set.subset(keep);
    }

    /**
     * Decodes one image file at its own size to [channels,H,W] uint8: RGB planes, or Pillow's
     * luma {@code (19595 R + 38470 G + 7471 B + 32768) >> 16} for one channel.
     *
     * @throws UserException naming the file if it is missing or cannot be decoded
     */
    public static Decoded decodeFull(Path file, int channels) {
        BufferedImage image = read(file);
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = h * w;
        byte[] out = new byte[channels * plane];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel sm
                && sm.getScanlineStride() == 3 * w && sm.getPixelStride() == 3
                && image.getRaster().getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0) {
            byte[] bgr = db.getData();
            int[] offs = sm.getBandOffsets();
            for (int p = 0, q = 0; p < plane; p++, q += 3) {
                int r = bgr[q + offs[0]] & 0xFF;
                int g = bgr[q + offs[1]] & 0xFF;
                int b = bgr[q + offs[2]] & 0xFF;
                put(out, channels, plane, p, r, g, b);
            }
            return new Decoded(out, h, w);
        }
        if (isCmyk(image)) {
            cmykToRgb(image.getRaster(), out, channels, h, w);
            return new Decoded(out, h, w);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int v = row[x];
                put(out, channels, plane, y * w + x, (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF);
            }
        }
        return new Decoded(out, h, w);
    }

    /**
     * A CMYK JPEG (ImageIO's image holds C, M, Y, K with 0 = no ink) to RGB as Pillow's
     * {@code convert("RGB")}: with nk = 255 - K, R = nk - C * nk / 255 (rounded as Pillow's
     * MULDIV255), likewise G and B.
     */
    private static void cmykToRgb(java.awt.image.Raster raster, byte[] out, int channels, int h, int w) {
        int[] row = new int[4 * w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int nk = 255 - row[4 * x + 3];
                int[] rgb = new int[3];
                for (int c = 0; c < 3; c++) {
                    int t = row[4 * x + c] * nk + 128;
                    rgb[c] = Math.max(0, Math.min(255, nk - (((t >> 8) + t) >> 8)));
                }
                put(out, channels, plane, y * w + x, rgb[0], rgb[1], rgb[2]);
            }
        }
    }

    private static boolean isCmyk(BufferedImage image) {
        return image.getRaster().getNumBands() == 4
                && image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_CMYK;
    }

    private static void put(byte[] out, int channels, int plane, int p, int r, int g, int b) {
        if (channels == 3) {
            out[p] = (byte) r;
            out[plane + p] = (byte) g;
            out[2 * plane + p] = (byte) b;
        } else {
            out[p] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
    }

    private static BufferedImage read(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw DataIo.error(file, "cannot decode image (" + e.getMessage() + "), expected JPEG, PNG, BMP or GIF");
        }
        if (image == null) {
            throw DataIo.error(file, "cannot decode image (unknown format), expected JPEG, PNG, BMP or GIF");
        }
        return image;
    }

    /** Decodes one image file to RGB [3,S,S] uint8 (resize shorter side to S, center crop). */
    public static byte[] decodeSquare(Path file, int size) {
        BufferedImage image = read(file);
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb;
        if (isCmyk(image)) {
            rgb = new int[h * w];
            byte[] planes = new byte[3 * h * w];
            cmykToRgb(image.getRaster(), planes, 3, h, w);
            for (int p = 0; p < h * w; p++) {
                rgb[p] = (planes[p] & 0xFF) << 16 | (planes[h * w + p] & 0xFF) << 8 | (planes[2 * h * w + p] & 0xFF);
            }
        } else {
            rgb = image.getRGB(0, 0, w, h, null, 0, w);
        }
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
