package cambench.harness.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A decoded, labelled image data set held once in memory as uint8 pixels in [N,C,H,W] order.
 *
 * <p>Image {@code i} is {@code channels*height*width} bytes in [C,H,W] order at
 * {@code pixels().offset(i)} in {@code pixels().chunk(i)}; its label {@code label(i)} indexes
 * {@code classes()}. A class may have no images (e.g. after {@link #subset}). The constructor
 * rejects inconsistent arguments with {@link IllegalArgumentException} (a bug, not a user
 * mistake: loaders report bad files as {@code UserException} before building an ImageSet).
 * Instances are not copied on access: treat the pixels as read-only once built.
 *
 * <p>A <em>streamed</em> set ({@link #streamed}) holds no pixels, only its {@link ImageFiles}:
 * height and width are nominal (the loader's side S), each image keeps its own size on disk and
 * is decoded by the {@link BatchLoader} when a batch needs it; {@link #pixels()} is then
 * unavailable. Subsets and class filters work on both kinds.
 */
public final class ImageSet {
    private final String name;
    private final List<String> classes;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final PixelStore pixels;
    private final ImageFiles files;

    /**
     * Builds a set over {@code pixels} (not copied).
     *
     * @param labels one per image, each in [0, classes.size()); copied
     * @throws IllegalArgumentException if sizes disagree or a label is out of range
     */
    public ImageSet(String name, List<String> classes, int[] labels, int channels, int height, int width,
            PixelStore pixels) {
        this(name, classes, labels, channels, height, width, Objects.requireNonNull(pixels, "pixels"), null);
    }

    /**
     * A streamed set of {@code files} (image i has label {@code labels[i]}) with nominal shape
     * [channels, size, size].
     *
     * @throws IllegalArgumentException if sizes disagree or a label is out of range
     */
    public static ImageSet streamed(String name, List<String> classes, int[] labels, int channels, int size,
            ImageFiles files) {
        return new ImageSet(name, classes, labels, channels, size, size, null, Objects.requireNonNull(files, "files"));
    }

    private ImageSet(String name, List<String> classes, int[] labels, int channels, int height, int width,
            PixelStore pixels, ImageFiles files) {
        this.name = Objects.requireNonNull(name, "name");
        this.classes = List.copyOf(classes);
        this.labels = labels.clone();
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.files = files;
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": shape [" + channels + "," + height + "," + width + "]");
        }
        if (pixels != null && pixels.imageBytes() != channels * height * width) {
            throw new IllegalArgumentException(name + ": store has " + pixels.imageBytes()
                    + " bytes per image, shape needs " + channels * height * width);
        }
        int stored = pixels != null ? pixels.count() : files.count();
        if (stored != labels.length) {
            throw new IllegalArgumentException(name + ": " + stored + " images, " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classes.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i
                        + " outside [0," + this.classes.size() + ")");
            }
        }
    }

    /** Data set name, e.g. {@code "cifar10-train"}. */
    public String name() {
        return name;
    }

    /** Class names; label {@code k} is {@code classes().get(k)}. */
    public List<String> classes() {
        return classes;
    }

    /** Number of classes, including classes without images. */
    public int classCount() {
        return classes.size();
    }

    /** Number of images N. */
    public int count() {
        return labels.length;
    }

    /** Channels C (1 or 3 for the built-in loaders). */
    public int channels() {
        return channels;
    }

    /** Height H in pixels. */
    public int height() {
        return height;
    }

    /** Width W in pixels. */
    public int width() {
        return width;
    }

    /** Bytes per image, C*H*W. */
    public int imageBytes() {
        return channels * height * width;
    }

    /** Label of image {@code index}. */
    public int label(int index) {
        return labels[index];
    }

    /** A copy of all labels, [N]. */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Pixel storage, for direct reads in hot loops.
     *
     * @throws IllegalStateException for a streamed set
     */
    public PixelStore pixels() {
        if (pixels == null) {
            throw new IllegalStateException(name + " is streamed from files; read it through a BatchLoader");
        }
        return pixels;
    }

    /** Whether the images are streamed from files rather than held in memory. */
    public boolean isStreamed() {
        return files != null;
    }

    /** The files of a streamed set, or null for an in-memory set. */
    public ImageFiles files() {
        return files;
    }

    /** Images per class, [classCount()]. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** Image indices of each class in ascending order, [classCount()][count of that class]. */
    public int[][] indicesByClass() {
        return indicesByClass(labels, classes.size());
    }

    /**
     * Groups positions by label: row k lists, ascending, the positions i with {@code labels[i] == k},
     * for k in 0..classes-1 (a row is empty for a class without any).
     */
    public static int[][] indicesByClass(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] out = new int[classes][];
        for (int k = 0; k < classes; k++) {
            out[k] = new int[counts[k]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            out[labels[i]][fill[labels[i]]++] = i;
        }
        return out;
    }

    /**
     * The images at {@code indices} (in that order, repeats allowed), copied; labels and class list
     * unchanged, so the result may have empty classes.
     */
    public ImageSet subset(int[] indices) {
        int[] sub = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            sub[k] = labels[indices[k]];
        }
        return selected(classes, sub, indices);
    }

    private ImageSet selected(List<String> cls, int[] sub, int[] indices) {
        return files != null ? new ImageSet(name, cls, sub, channels, height, width, null, files.select(indices))
                : new ImageSet(name, cls, sub, channels, height, width, pixels.select(indices));
    }

    /**
     * The images of the classes in {@code keep}, copied in original order, with labels remapped to
     * 0..k-1 by ascending old label and the kept class names in that order (few-shot base/val/novel
     * splits).
     *
     * @throws IllegalArgumentException if a class id is out of range
     */
    public ImageSet filterClasses(Set<Integer> keep) {
        int[] newLabel = new int[classes.size()];
        Arrays.fill(newLabel, -1);
        List<String> kept = new ArrayList<>();
        for (int k : new TreeSet<>(keep)) {
            if (k < 0 || k >= classes.size()) {
                throw new IllegalArgumentException(name + ": class " + k + " outside [0," + classes.size() + ")");
            }
            newLabel[k] = kept.size();
            kept.add(classes.get(k));
        }
        int n = 0;
        for (int label : labels) {
            n += newLabel[label] >= 0 ? 1 : 0;
        }
        int[] indices = new int[n];
        int[] sub = new int[n];
        for (int i = 0, j = 0; i < labels.length; i++) {
            if (newLabel[labels[i]] >= 0) {
                indices[j] = i;
                sub[j++] = newLabel[labels[i]];
            }
        }
        return selected(kept, sub, indices);
    }

    @Override
    public String toString() {
        return name + "[" + count() + "," + channels + "," + height + "," + width + "], " + classes.size() + " classes"
                + (files != null ? ", streamed" : "");
    }
}
