package cambench.baselines.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Small engine checks of the static terms: L-Softmax quadrants and Chebyshev values, negcam selection. */
@Tag("engine")
class LossBaselinesEngineTest {

    @Test
    void quadrant_isFloorOfAngleTimesMOverPi() {
        EngineSetup.start(1);
        try (NDManager m = NDManager.newBaseManager()) {
            // angles 10, 50, 100, 170 degrees and exactly 180
            float[] cos = {(float) Math.cos(Math.toRadians(10)), (float) Math.cos(Math.toRadians(50)),
                (float) Math.cos(Math.toRadians(100)), (float) Math.cos(Math.toRadians(170)), -1f};
            NDArray c = m.create(cos);
            assertArrayEquals(new float[] {0, 0, 1, 1, 2}, LSoftmaxLoss.quadrant(c, 2).toFloatArray());
            assertArrayEquals(new float[] {0, 0, 1, 2, 3}, LSoftmaxLoss.quadrant(c, 3).toFloatArray());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4}, LSoftmaxLoss.quadrant(c, 4).toFloatArray());
        }
    }

    @Test
    void chebyshev_matchesCosOfMultipleAngle() {
        EngineSetup.start(1);
        try (NDManager m = NDManager.newBaseManager()) {
            double[] angles = {0.1, 0.9, 1.7, 2.6};
            float[] cos = new float[angles.length];
            for (int i = 0; i < angles.length; i++) {
                cos[i] = (float) Math.cos(angles[i]);
            }
            for (int order = 1; order <= 4; order++) {
                float[] expected = new float[angles.length];
                for (int i = 0; i < angles.length; i++) {
                    expected[i] = (float) Math.cos(order * angles[i]);
                }
                assertArrayEquals(expected, LSoftmaxLoss.chebyshev(m.create(cos), order).toFloatArray(), 1e-5f);
            }
        }
    }

    @Test
    void hardNegatives_excludeTargetAndBreakTiesByIndex() {
        EngineSetup.start(1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1, 1, 3, 1, 0, 5, 2, 2}, new Shape(2, 4));
            NDArray labels = m.create(new long[] {2, 1});
            NDArray select = NegCamLoss.hardNegatives(logits, labels, 2);
            // sample 0: target 2 (the largest) excluded, ties 1, 1, 1 -> classes 0 and 1;
            // sample 1: target 1 (the largest) excluded, 2, 2 -> classes 2 and 3
            assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, select.toFloatArray());
        }
    }
}
