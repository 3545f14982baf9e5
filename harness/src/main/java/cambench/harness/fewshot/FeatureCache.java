package cambench.harness.fewshot;

import cambench.api.UserException;
import cambench.harness.data.ImageSet;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The frozen backbone's features of every image of a split, extracted once and shared by every
 * shot count and episode: features [N, D] (float, row-major) and labels [N].
 *
 * <p>A stage boundary as a file: {@link #save} and {@link #load} write and read a small binary
 * format ({@code CBFEAT01}, N, D, classes, labels, class names, features little-endian), so a
 * resumed cell fine-tunes without re-extracting.
 */
public final class FeatureCache {
    private static final long MAGIC = 0x4342_4645_4154_3031L; // "CBFEAT01"

    private final float[] features;
    private final int[] labels;
    private final int dim;
    private final List<String> classes;

    /**
     * Wraps features (not copied).
     *
     * @param features [N * dim] row-major
     * @param labels [N], each in [0, classes.size())
     */
    public FeatureCache(float[] features, int[] labels, int dim, List<String> classes) {
        if (dim < 1 || features.length != labels.length * dim) {
            throw new IllegalArgumentException("features " + features.length + " != " + labels.length + " x " + dim);
        }
        this.features = features;
        this.labels = labels;
        this.dim = dim;
        this.classes = List.copyOf(classes);
    }

    /**
     * Synthetic ReLU-like features, deterministic in {@code seed}: class c has a mean vector
     * uniform in [0, spread)^D, and each of its {@code perClass} rows is max(0, mean + N(0, 1)) per
     * dimension; classes c0, c1, ... in order, rows of a class contiguous. Used to test and
     * benchmark the solver without a backbone.
     */
    public static FeatureCache syntheticClusters(int classes, int perClass, int dim, double spread, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[classes * perClass * dim];
        int[] labels = new int[classes * perClass];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("c" + c);
            double[] mean = new double[dim];
            for (int d = 0; d < dim; d++) {
                mean[d] = r.nextDouble() * spread;
            }
            for (int i = 0; i < perClass; i++) {
                int row = c * perClass + i;
                labels[row] = c;
                for (int d = 0; d < dim; d++) {
                    double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                    f[row * dim + d] = (float) Math.max(0, mean[d] + g);
                }
            }
        }
        return new FeatureCache(f, labels, dim, names);
    }

    /** Feature dimension D. */
    public int dim() {
        return dim;
    }

    /** Number of images N. */
    public int count() {
        return labels.length;
    }

    /** Class names, by label. */
    public List<String> classes() {
        return classes;
    }

    /** Image indices of each class in ascending order, [classes][count of that class]. */
    public int[][] indicesByClass() {
        return ImageSet.indicesByClass(labels, classes.size());
    }

    /** Copies the rows {@code indices} into {@code out} at {@code offset} (floats). */
    public void gather(int[] indices, float[] out, int offset) {
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(features, indices[k] * dim, out, offset + k * dim, dim);
        }
    }

    /** Row {@code i} as doubles. */
    public double[] row(int i) {
        double[] r = new double[dim];
        for (int d = 0; d < dim; d++) {
            r[d] = features[i * dim + d];
        }
        return r;
    }

    /** Writes the cache to {@code file} atomically. */
    public void save(Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(tmp)))) {
                out.writeLong(MAGIC);
                out.writeInt(labels.length);
                out.writeInt(dim);
                out.writeInt(classes.size());
                for (String c : classes) {
                    out.writeUTF(c);
                }
                for (int l : labels) {
                    out.writeInt(l);
                }
                ByteBuffer buf = ByteBuffer.allocate(features.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(features);
                out.write(buf.array());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write feature cache " + file, e);
        }
    }

    /**
     * Reads a cache written by {@link #save}.
     *
     * @throws UserException when the file is not a feature cache or is truncated
     */
    public static FeatureCache load(Path file) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readLong() != MAGIC) {
                throw new UserException(file + ": not a cambench feature cache (bad magic)");
            }
            int n = in.readInt();
            int dim = in.readInt();
            int k = in.readInt();
            String[] names = new String[k];
            for (int c = 0; c < k; c++) {
                names[c] = in.readUTF();
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
            }
            byte[] bytes = new byte[Math.multiplyExact(n, dim) * 4];
            in.readFully(bytes);
            float[] f = new float[n * dim];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return new FeatureCache(f, labels, dim, List.of(names));
        } catch (java.io.EOFException e) {
            throw new UserException(file + ": truncated feature cache; delete it to re-extract");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feature cache " + file, e);
        }
    }
}
