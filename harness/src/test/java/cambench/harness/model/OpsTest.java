package cambench.harness.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The parameter-free operations behind ShuffleNet and PyramidNet. */
@Tag("engine")
class OpsTest {

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
    }

    @Test
    void channelShuffle_sixChannelsThreeGroups_interleavesGroups() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(6f).reshape(1, 6, 1, 1);
            // [N, g, C/g] = [[0,1],[2,3],[4,5]], transposed: 0,2,4,1,3,5 (ShuffleNet, Fig. 1(c))
            assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, Ops.channelShuffle(x, 3).toFloatArray());
        }
    }

    @Test
    void zeroPadChannels_twoToFive_appendsZeros() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(2, 2, 3, 3));
            NDArray padded = Ops.zeroPadChannels(x, 5);
            assertEquals(new Shape(2, 5, 3, 3), padded.getShape());
            assertEquals(2 * 2 * 9, padded.sum().getFloat(), 0f);
        }
    }

    @Test
    void avgPool_paddedThreeByThree_countsPaddingAsPyTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 1, 4, 4));
            // nn.AvgPool2d(3, 2, 1) with count_include_pad: corner window holds 4 ones of 9
            assertEquals(4f / 9f, Ops.avgPool(x, 3, 2, 1).getFloat(0, 0, 0, 0), 1e-6f);
        }
    }
}
