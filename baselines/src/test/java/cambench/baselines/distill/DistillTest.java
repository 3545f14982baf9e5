package cambench.baselines.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import cambench.harness.engine.EngineSetup;
import cambench.api.Progress;
import cambench.api.StepOutputs;
import cambench.api.UserException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

/** Edge cases of the distillers' shared pieces and their user errors (docs/losses.md, "Distillers"). */
@Tag("engine")
class DistillTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        EngineSetup.start(1);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void adaptiveAvgPool_r3On4x4_usesOverlappingPyTorchBins() {
        // bins of 4 -> 3: rows {0,1}, {1,2}, {2,3}; for x[r][c] = 4r + c the bin mean is 4i + j + 2.5
        // (torch.nn.functional.adaptive_avg_pool2d(torch.arange(16.).view(1,1,4,4), 3))
        NDArray x = manager.arange(16f).reshape(1, 1, 4, 4);
        float[] expected = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = 4 * i + j + 2.5f;
            }
        }
        NDArray pooled = Distill.adaptiveAvgPool(x, 3);
        assertEquals(new Shape(1, 1, 3, 3), pooled.getShape());
        assertArrayEquals(expected, pooled.toFloatArray(), 1e-6f);
    }

    @Test
    void adaptiveAvgPool_rLargerThanMap_repeatsPositions() {
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        float[] pooled = Distill.adaptiveAvgPool(x, 3).toFloatArray();
        // 2 -> 3: bins {0}, {0,1}, {1}
        assertArrayEquals(new float[] {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}, pooled, 1e-6f);
    }

    @Test
    void l2Norm_zeroRow_hasValueAndGradientZero() {
        NDArray x = manager.create(new float[] {0, 0, 3, 4}, new Shape(2, 2));
        x.setRequiresGradient(true);
        float[] norms;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray n = Distill.l2Norm(x, 1);
            norms = n.toFloatArray();
            gc.backward(n.sum());
        }
        assertArrayEquals(new float[] {0, 5}, norms, 1e-6f);
        assertArrayEquals(new float[] {0, 0, 0.6f, 0.8f}, x.getGradient().toFloatArray(), 1e-6f);
    }

    @Test
    void ccmTeacherCam_nonDivisibleSize_throwsUserException() {
        NDArray ft = manager.ones(new Shape(1, 2, 5, 5));
        NDArray wt = manager.ones(new Shape(3, 2));
        NDArray oneHot = manager.create(new float[] {1, 0, 0}, new Shape(1, 3));
        UserException e = assertThrows(UserException.class, () -> CcmDistiller.teacherCam(ft, wt, oneHot, 2, 2));
        assertTrue(e.getMessage().contains("5x5"), e.getMessage());
    }

    @Test
    void ccmTeacherCam_threeTimesLarger_averagesBlocks() {
        NDArray ft = manager.arange(36f).reshape(1, 1, 6, 6);
        NDArray wt = manager.create(new float[] {2}, new Shape(1, 1));
        NDArray oneHot = manager.ones(new Shape(1, 1));
        // block (i, j) of 3x3 around rows 3i+1, cols 3j+1: mean = 6(3i+1) + 3j+1, times W = 2
        float[] cam = CcmDistiller.teacherCam(ft, wt, oneHot, 2, 2).toFloatArray();
        assertArrayEquals(new float[] {14, 20, 50, 56}, cam, 1e-5f);
    }

    @Test
    void atTerm_noMatchingStage_throwsUserException() {
        NDArray f = manager.ones(new Shape(1, 2, 2, 2));
        NDArray ft = manager.ones(new Shape(1, 2, 4, 4));
        UserException e = assertThrows(UserException.class, () -> AtDistiller.atTerm(List.of(f), List.of(ft)));
        assertTrue(e.getMessage().contains("2x2") && e.getMessage().contains("4x4"), e.getMessage());
    }

    @Test
    void atTerm_stagesAlignedFromDeepest_sumsMatchingPairsOnly() {
        NDArray s1 = manager.randomNormal(new Shape(2, 3, 4, 4));
        NDArray s2 = manager.randomNormal(new Shape(2, 3, 2, 2));
        NDArray t1 = manager.randomNormal(new Shape(2, 5, 8, 8));
        NDArray t2 = manager.randomNormal(new Shape(2, 5, 2, 2));
        float both = AtDistiller.atTerm(List.of(s1, s2), List.of(t1, t2)).getFloat();
        float deepest = AtDistiller.atTerm(s2, t2).getFloat();
        assertEquals(deepest, both, 1e-6f);
    }

    @Test
    void terms_withoutTeacher_throwsUserException() {
        NDArray f = manager.ones(new Shape(1, 2, 2, 2));
        NDArray w = manager.ones(new Shape(3, 2));
        NDArray logits = manager.zeros(new Shape(1, 3));
        StepOutputs out = new StepOutputs(f, manager.ones(new Shape(1, 2)), logits, w, null,
                manager.create(new long[] {0}), List.of(f), Progress.steadyState(), Optional.empty());
        assertThrows(UserException.class, () -> new KdDistiller(4, 0.5).terms(out));
        assertThrows(UserException.class, () -> new CatKdDistiller(1, 2, false).terms(out));
    }
}
