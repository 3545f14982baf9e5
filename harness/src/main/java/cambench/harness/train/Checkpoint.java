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
 * <p>Format: magic {@code CBCK}, version 2, the body's length and CRC-32, then the body: JSON
 * text, array count, then per array its name, shape and values (big-endian). A truncated or
 * damaged file fails the check before anything is restored ({@link CorruptException}). Version 1
 * files (no length or checksum) are still read.
 */
public final class Checkpoint {
    private static final int MAGIC = 0x43424b43;
    private static final int VERSION = 2;

    /** A checkpoint file that is truncated or damaged (length or checksum mismatch, cut short). */
    public static final class CorruptException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptException(String message) {
            super(message);
        }
    }

    private Checkpoint() {
    }

    /** Writes the arrays and the progress text atomically to {@code file}. */
    public static void save(Path file, Map<String, NDArray> arrays, String progressJson) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
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
        byte[] body = bytes.toByteArray();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body);
        java.nio.ByteBuffer file0 = java.nio.ByteBuffer.allocate(4 + 4 + 8 + 8 + body.length);
        file0.putInt(MAGIC).putInt(VERSION).putLong(body.length).putLong(crc.getValue()).put(body);
        RunStore.writeAtomically(file, file0.array());
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
     * @throws CorruptException when the file is not a cambench checkpoint, truncated or damaged
     */
    public static Contents read(Path file) throws IOException {
        try (DataInputStream in = body(file)) {
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
     * @throws CorruptException when the file is truncated or damaged (nothing is restored)
     */
    public static String load(Path file, Map<String, NDArray> arrays) throws IOException {
        try (DataInputStream in = body(file)) {
            return restore(file, in, arrays);
        } catch (java.io.EOFException e) {
            throw new CorruptException(file + ": truncated checkpoint (ends early)");
        }
    }

    /**
     * The body of {@code file} after its header, checked: magic and version, and for the current
     * version the length and CRC-32 of the body.
     *
     * @throws CorruptException when the file is not a checkpoint, truncated or damaged
     */
    private static DataInputStream body(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) {
            throw new CorruptException(file + ": truncated checkpoint (" + all.length + " bytes)");
        }
        java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(all);
        int magic = head.getInt();
        int version = head.getInt();
        if (magic != MAGIC || (version != 1 && version != VERSION)) {
            throw new CorruptException(file + ": not a cambench checkpoint (bad magic/version)");
        }
        int offset = 8;
        if (version == VERSION) {
            if (all.length < 24) {
                throw new CorruptException(file + ": truncated checkpoint (" + all.length + " bytes)");
            }
            long length = head.getLong();
            long expected = head.getLong();
            if (length != all.length - 24L) {
                throw new CorruptException(file + ": truncated checkpoint (" + (all.length - 24L) + " of " + length
                        + " bytes)");
            }
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(all, 24, all.length - 24);
            if (crc.getValue() != expected) {
                throw new CorruptException(file + ": damaged checkpoint (checksum mismatch)");
            }
            offset = 24;
        }
        return new DataInputStream(new ByteArrayInputStream(all, offset, all.length - offset));
    }

    /**
     * The progress text of a checkpoint without restoring anything (no checksum check), or empty
     * when the file is missing or unreadable; for status displays.
     */
    public static java.util.Optional<String> peekProgress(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all);
            if (b.getInt() != MAGIC) {
                return java.util.Optional.empty();
            }
            if (b.getInt() == VERSION) {
                b.position(24);
            }
            byte[] text = new byte[b.getInt()];
            b.get(text);
            return java.util.Optional.of(new String(text, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Epochs a checkpoint of {@link Trainer} says are done; 0 when missing or unreadable. */
    public static int epochsDone(Path file) {
        return peekProgress(file).map(text -> {
            try {
                return RunStore.json().readTree(text).path("epochs_done").asInt(0);
            } catch (IOException e) {
                return 0;
            }
        }).orElse(0);
    }

    private static String restore(Path file, DataInputStream in, Map<String, NDArray> arrays) throws IOException {
        {
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
