package cambench.harness.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

/** The flat Adam step against torch.optim.Adam. */
@Tag("engine")
class AdamTest {

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
    }

    @Test
    void step_withDecay_matchesTorchOptimAdam() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = SgdTest.linearPair(m);
            Adam adam = new Adam(params, m, 5e-4);
            float[] got = SgdTest.run(adam, m, params);
            // torch 1.13: torch.optim.Adam(lr=0.1, weight_decay=5e-4), the four steps of SgdTest
            // (lr 0.1, 0.1, 0.05, 0.01)
            assertArrayEquals(new float[] {0.740001261f, -1.74589026f, 2.74000049f, 0.240000352f, 0.00999963935f,
                -0.099551484f, 1.74000144f}, got, 1e-6f);
            assertEquals(4f, adam.state().get("adam.steps").getFloat(0), 0f);
            assertEquals(new Shape(2, 2), adam.state().get("adam.v.w").getShape());
            assertEquals(5, adam.state().size());
        }
    }
}
