package cambench.harness.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Top-k counting (ties are wrong, non-finite logits flagged) and checkpoint integrity. Engine-free. */
class EvaluationTest {

    @Test
    void tieWithTheLabel_countsAsWrong() {
        Evaluation e = new Evaluation();
        // sample 0: label 1 strictly largest -> right; sample 1: label 0 tied with class 2 -> wrong
        e.add(new float[] {0f, 2f, 1f, 3f, 0f, 3f}, new int[] {1, 0}, 2);
        assertEquals(50.0, e.top1Error(), 1e-9);
        assertEquals(0.0, e.top5Error(), 1e-9, "3 classes: everything is in the top 5");
        assertFalse(e.nonFinite());
    }

    @Test
    void allEqualLogits_areNeverCorrect() {
        Evaluation e = new Evaluation();
        float[] logits = new float[4 * 10];
        e.add(logits, new int[] {0, 3, 5, 9}, 4);
        assertEquals(100.0, e.top1Error(), 1e-9);
        assertEquals(100.0, e.top5Error(), 1e-9, "10 classes all tied: 9 others rank at least as high");
    }

    @Test
    void nanLogits_areFlagged_andNeverScoredAsCorrect() {
        Evaluation e = new Evaluation();
        float[] logits = new float[2 * 3];
        Arrays.fill(logits, Float.NaN);
        e.add(logits, new int[] {0, 1}, 2);
        assertTrue(e.nonFinite());
        Evaluation inf = new Evaluation();
        inf.add(new float[] {1f, Float.POSITIVE_INFINITY, 0f}, new int[] {0}, 1);
        assertTrue(inf.nonFinite());
    }

    @Test
    void truncatedOrDamagedCheckpoint_isCorrupt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.ckpt");
        Checkpoint.save(f, Map.of(), "{\"epochs_done\": 3}");
        assertEquals("{\"epochs_done\": 3}", Checkpoint.load(f, Map.of()));
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(whole, whole.length - 3));
        assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.load(f, Map.of()));
        byte[] flipped = whole.clone();
        flipped[flipped.length - 2] ^= 0x20;
        Files.write(f, flipped);
        assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.load(f, Map.of()));
        Files.write(f, new byte[0]);
        assertThrows(Checkpoint.CorruptException.class, () -> Checkpoint.load(f, Map.of()));
    }
}
