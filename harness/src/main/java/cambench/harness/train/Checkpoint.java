package cambench.harness.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import cambench.api.UserException;
import cambench.results.store.RunStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: named float32 arrays (parameters, buffers, optimizer and objective
 * state) plus a JSON text with the progress so far. Written atomically; read back in place.
 *
 * <p>Format: magic {@code CBCK}, version, JSON text, array count, then per array its name, shape
 * and values (big-endian).
 */
public final class Checkpoint {
    private static final int MAGIC = 0x43424b43;
    private static final int VERSION = 1;

    private Checkpoint() {
    }

    /** Writes the arrays and the progress text atomically to {@code file}. */
    public static void save(Path file, Map<String, NDArray> arrays, String progressJson) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            byte[] text = progressJson.getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
            out.writeInt(arrays.size());
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().getShape().getShape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                for (float v : e.getValue().toFloatArray()) {
                    out.writeFloat(v);
                }
            }
        }
        RunStore.writeAtomically(file, bytes.toByteArray());
    }

    /**
     * What a checkpoint or weights file holds.
     *
     * @param text the JSON text
     * @param shapes array name to shape, in file order
     * @param values array name to values (row-major)
     */
    public record Contents(String text, Map<String, long[]> shapes, Map<String, float[]> values) {
    }

    /**
     * Reads every array of {@code file} without a network to put them in.
     *
     * @throws UserException when the file is not a cambench checkpoint
     */
    public static Contents read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new UserException(file + ": not a cambench checkpoint (bad magic/version)");
            }
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            int count = in.readInt();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                long[] shape = new long[in.readInt()];
                long size = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                    size *= shape[d];
                }
                float[] v = new float[Math.toIntExact(size)];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readFloat();
                }
                shapes.put(name, shape);
                values.put(name, v);
            }
            return new Contents(new String(text, StandardCharsets.UTF_8), shapes, values);
        }
    }

    /**
     * Restores the arrays of {@code file} into {@code arrays} (same names and shapes) and returns
     * the progress text.
     *
     * @throws UserException when the file does not match the network (names or shapes)
     */
    public static String load(Path file, Map<String, NDArray> arrays) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new UserException(file + ": not a cambench checkpoint (bad magic/version)");
            }
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            int count = in.readInt();
            Map<String, float[]> read = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                long size = 1;
                int dims = in.readInt();
                for (int d = 0; d < dims; d++) {
                    size *= in.readLong();
                }
                float[] v = new float[Math.toIntExact(size)];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readFloat();
                }
                read.put(name, v);
            }
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                float[] v = read.get(e.getKey());
                if (v == null || v.length != e.getValue().getShape().size()) {
                    throw new UserException(file + ": array " + e.getKey() + " missing or of another size;"
                            + " delete the checkpoint to restart the cell");
                }
                NDArray target = e.getValue();
                // copy into the array's own memory: NDArray.set(float[]) would give it new storage and cut
                // it off from arrays it is a view of (the optimizer's flat parameters and state)
                try (NDArray src = target.getManager().create(v, target.getShape())) {
                    target.set(new NDIndex("..."), src);
                }
            }
            return new String(text, StandardCharsets.UTF_8);
        }
    }
}
