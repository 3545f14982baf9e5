package cambench.harness.train;

import ai.djl.ndarray.NDArray;
import cambench.harness.run.Provenance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * Exact fingerprints of a training run, written into every epoch of its record
 * ({@link cambench.results.record.EpochMetrics#stepsDigest()}, {@code parametersDigest}): two runs of
 * one cell that agree in them took bit-identical steps and ended with bit-identical weights, and the
 * first epoch where they differ says where a run went its own way ({@code cambench bench repeat}).
 */
final class TrainingDigest {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private long steps = FNV_OFFSET;

    /** Adds one step: the exact bits of its loss, of each loss term (in order) and of its logits. */
    void addStep(double loss, Map<String, Double> terms, float[] logits) {
        mix(Double.doubleToRawLongBits(loss));
        for (Map.Entry<String, Double> e : terms.entrySet()) {
            mix(e.getKey().hashCode());
            mix(Double.doubleToRawLongBits(e.getValue()));
        }
        for (float f : logits) {
            mix(Float.floatToRawIntBits(f));
        }
    }

    private void mix(long v) {
        for (int i = 0; i < 8; i++) {
            steps = (steps ^ ((v >>> (8 * i)) & 0xFF)) * FNV_PRIME;
        }
    }

    /** The steps so far as 16 hex digits (FNV-1a, 64 bits). */
    String steps() {
        return String.format("%016x", steps);
    }

    /** The first 16 hex digits of the SHA-256 over the names and exact float values of {@code arrays}, in order. */
    static String arrays(Map<String, NDArray> arrays) {
        MessageDigest md = Provenance.sha256();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            float[] v = e.getValue().toFloatArray();
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }
}
