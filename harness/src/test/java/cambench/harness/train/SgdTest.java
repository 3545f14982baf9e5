package cambench.harness.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** The flat SGD step against torch.optim.SGD and against the per-parameter step it replaces. */
@Tag("engine")
class SgdTest {
    private static final double[] LRS = {0.1, 0.1, 0.05, 0.01};

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
    }

    /** p [3] and w [2,2] with loss sum(p * cp_t) + sum(w * cw_t): the gradients are cp_t and cw_t. */
    static Map<String, NDArray> linearPair(NDManager m) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put("p", m.create(new float[] {1f, -2f, 3f}));
        params.put("w", m.create(new float[] {0.5f, -0.25f, 0.125f, 2f}, new Shape(2, 2)));
        params.values().forEach(a -> a.setRequiresGradient(true));
        return params;
    }

    /** Backward of the linear loss of step {@code t} (the scheme of the torch script in the tests). */
    static void linearBackward(NDManager m, Map<String, NDArray> params, int t) {
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray cp = s.create(new float[] {0.3f, -0.1f * (t + 1), 0.7f});
            NDArray cw = s.create(new float[] {1f, -1f, 0.5f * t, 0.25f}, new Shape(2, 2));
            NDArray loss = params.get("p").mul(cp).sum().add(params.get("w").mul(cw).sum());
            loss.attach(s);
            gc.backward(loss);
        }
    }

    static float[] run(Optimizer opt, NDManager m, Map<String, NDArray> params) {
        for (int t = 0; t < LRS.length; t++) {
            linearBackward(m, params, t);
            try (NDManager s = m.newSubManager()) {
                opt.step(LRS[t], s);
            }
        }
        float[] p = params.get("p").toFloatArray();
        float[] w = params.get("w").toFloatArray();
        return new float[] {p[0], p[1], p[2], w[0], w[1], w[2], w[3]};
    }

    // Expected values: torch 1.13 (Debian python3-torch), torch.optim.SGD(lr=0.1, ...) over the four
    // steps above, lr set to 0.1, 0.1, 0.05, 0.01 before each, zero_grad() before each backward.

    @Test
    void step_momentumAndDecay_matchesTorchOptimSgd() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = linearPair(m);
            float[] got = run(new Sgd(params, m, 0.9, false, 5e-4), m, params);
            assertArrayEquals(new float[] {0.861808538f, -1.92344344f, 2.67740011f, 0.0400133803f, 0.209929168f,
                -0.0255766567f, 1.88457227f}, got, 1e-6f);
        }
    }

    @Test
    void step_nesterov_matchesTorchOptimSgd() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = linearPair(m);
            float[] got = run(new Sgd(params, m, 0.9, true, 5e-4), m, params);
            assertArrayEquals(new float[] {0.797508538f, -1.88184369f, 2.52729535f, -0.174017087f, 0.42393291f,
                -0.125530228f, 1.83086407f}, got, 1e-6f);
        }
    }

    @Test
    void step_noMomentumNoDecay_matchesTorchOptimSgd() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = linearPair(m);
            Sgd sgd = new Sgd(params, m, 0, false, 0);
            float[] got = run(sgd, m, params);
            assertArrayEquals(new float[] {0.921999931f, -1.95100009f, 2.81800008f, 0.239999995f, 0.00999999605f,
                0.0100000026f, 1.93499994f}, got, 1e-6f);
            assertEquals(0, sgd.state().size());
        }
    }

    /** A small conv net's real gradients (mkldnn conv backward, BN-free), SGD and twin reference. */
    @Test
    void step_convNet_matchesPerParameterStepWithin1e6() {
        for (boolean nesterov : new boolean[] {false, true}) {
            try (NDManager a = NDManager.newBaseManager(); NDManager b = NDManager.newBaseManager()) {
                Map<String, NDArray> pa = convNet(a);
                Map<String, NDArray> pb = convNet(b);
                Sgd flat = new Sgd(pa, a, 0.9, nesterov, 5e-4);
                PerParameterSgd ref = new PerParameterSgd(pb, b, 0.9, nesterov, 5e-4);
                for (int t = 0; t < 5; t++) {
                    double lr = t < 3 ? 0.1 : 0.02;
                    convBackward(a, pa, t);
                    convBackward(b, pb, t);
                    try (NDManager s = a.newSubManager()) {
                        flat.step(lr, s);
                    }
                    try (NDManager s = b.newSubManager()) {
                        ref.step(lr, s);
                    }
                }
                int i = 0;
                for (String name : pa.keySet()) {
                    assertArrayEquals(pb.get(name).toFloatArray(), pa.get(name).toFloatArray(), 1e-6f, name);
                    assertArrayEquals(ref.momentum(i).toFloatArray(),
                            flat.state().get("momentum." + name).toFloatArray(), 1e-6f, name);
                    assertEquals(pa.get(name).getShape(), flat.state().get("momentum." + name).getShape());
                    i++;
                }
            }
        }
    }

    @Test
    void step_parameterWithoutGradient_isSkippedUntilItHasOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = linearPair(m);
            NDArray unused = m.create(new float[] {5f, 6f});
            unused.setRequiresGradient(true);
            params.put("unused", unused);
            Sgd sgd = new Sgd(params, m, 0.9, false, 5e-4);
            linearBackward(m, params, 0);
            assertNull(JniUtils.getGradient((PtNDArray) unused));
            try (NDManager s = m.newSubManager()) {
                sgd.step(0.1, s);
            }
            // skipped as torch skips grad None: no decay, no momentum
            assertArrayEquals(new float[] {5f, 6f}, unused.toFloatArray(), 0f);
            assertArrayEquals(new float[] {0f, 0f}, sgd.state().get("momentum.unused").toFloatArray(), 0f);
            // p's first step: buf = g + wd p, p -= 0.1 buf
            assertEquals(1f - 0.1f * (0.3f + 5e-4f), params.get("p").getFloat(0), 1e-6f);
            try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = unused.sum().add(params.get("p").sum());
                loss.attach(s);
                gc.backward(loss);
            }
            try (NDManager s = m.newSubManager()) {
                sgd.step(0.1, s); // every parameter has a gradient now: the flat path
            }
            assertEquals(5f - 0.1f * (1f + 5e-4f * 5f), unused.getFloat(0), 1e-6f);
        }
    }

    /**
     * Resume: parameters and momentum saved after two steps and loaded into a fresh network and
     * optimizer continue exactly as the uninterrupted run (the load writes into the flat arrays).
     */
    @Test
    void step_afterCheckpointLoad_continuesAsUninterrupted(@TempDir Path dir) throws IOException {
        try (NDManager a = NDManager.newBaseManager(); NDManager b = NDManager.newBaseManager()) {
            Map<String, NDArray> pa = convNet(a);
            Sgd sa = new Sgd(pa, a, 0.9, false, 5e-4);
            for (int t = 0; t < 2; t++) {
                convBackward(a, pa, t);
                try (NDManager s = a.newSubManager()) {
                    sa.step(0.1, s);
                }
            }
            Map<String, NDArray> saved = new LinkedHashMap<>(pa);
            saved.putAll(sa.state());
            Checkpoint.save(dir.resolve("ck"), saved, "{}");
            Map<String, NDArray> pb = convNet(b);
            Sgd sb = new Sgd(pb, b, 0.9, false, 5e-4);
            Map<String, NDArray> loaded = new LinkedHashMap<>(pb);
            loaded.putAll(sb.state());
            Checkpoint.load(dir.resolve("ck"), loaded);
            for (int t = 2; t < 4; t++) {
                convBackward(a, pa, t);
                convBackward(b, pb, t);
                try (NDManager s = a.newSubManager()) {
                    sa.step(0.1, s);
                }
                try (NDManager s = b.newSubManager()) {
                    sb.step(0.1, s);
                }
            }
            for (String name : pa.keySet()) {
                assertArrayEquals(pa.get(name).toFloatArray(), pb.get(name).toFloatArray(), 0f, name);
                assertArrayEquals(sa.state().get("momentum." + name).toFloatArray(),
                        sb.state().get("momentum." + name).toFloatArray(), 0f, name);
            }
        }
    }

    /** conv 3x3 [4,3,3,3] + bias, ReLU, global mean, linear [5,4] + bias: seeded values. */
    static Map<String, NDArray> convNet(NDManager m) {
        Random r = new Random(7);
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put("conv.weight", m.create(gaussian(r, 108, 0.3f), new Shape(4, 3, 3, 3)));
        params.put("conv.bias", m.create(gaussian(r, 4, 0.1f)));
        params.put("fc.weight", m.create(gaussian(r, 20, 0.5f), new Shape(5, 4)));
        params.put("fc.bias", m.create(gaussian(r, 5, 0.1f)));
        params.values().forEach(a -> a.setRequiresGradient(true));
        return params;
    }

    static void convBackward(NDManager m, Map<String, NDArray> p, int t) {
        Random r = new Random(100 + t);
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = s.create(gaussian(r, 2 * 3 * 8 * 8, 1f), new Shape(2, 3, 8, 8));
            NDArray h = x.getNDArrayInternal().convolution(x, p.get("conv.weight"), p.get("conv.bias"),
                    new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
            NDArray pooled = h.getNDArrayInternal().relu().reshape(2, 4, -1).mean(new int[] {2});
            NDArray logits = pooled.getNDArrayInternal().linear(pooled, p.get("fc.weight"), p.get("fc.bias"))
                    .singletonOrThrow();
            NDArray loss = logits.square().mean();
            new NDList(h, pooled, logits, loss).attach(s);
            gc.backward(loss);
        }
    }

    static float[] gaussian(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * scale;
        }
        return v;
    }
}
