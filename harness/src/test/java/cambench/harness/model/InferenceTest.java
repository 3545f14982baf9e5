package cambench.harness.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.api.UserException;
import cambench.harness.engine.EngineSetup;
import cambench.harness.engine.OneDnnKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Random;

/**
 * The oneDNN evaluation path against the eager one: same feature maps, pooled features and logits
 * up to float32 rounding, same predictions, with non-trivial BatchNorm statistics and affine
 * parameters (so that folding has something to fold), on every block kind that has a fused form
 * (CIFAR basic blocks with identity and projection shortcuts, WRN pre-activation blocks and tail,
 * the ImageNet stem with max pooling, bottlenecks, Conv-4 with biases); the fallbacks; and no
 * arrays left behind.
 */
@Tag("engine")
class InferenceTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        EngineSetup.start(1);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        EngineSetup.setInference("fused");
        manager.close();
    }

    /** Running statistics and BN affine parameters away from their initial 0/1, as after training. */
    private static void perturbBatchNorm(Network net, long seed) {
        Random rnd = new Random(seed);
        Map<String, NDArray> all = new java.util.TreeMap<>(net.store().parameters());
        all.putAll(net.store().buffers());
        java.util.Set<String> bns = new java.util.HashSet<>();
        all.keySet().stream().filter(k -> k.endsWith(".running_mean"))
                .forEach(k -> bns.add(k.substring(0, k.length() - ".running_mean".length())));
        assertTrue(!bns.isEmpty());
        all.forEach((name, a) -> {
            String prefix = name.substring(0, name.lastIndexOf('.'));
            if (!bns.contains(prefix)) {
                return;
            }
            float[] v = a.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = name.endsWith("running_var") || name.endsWith("weight") ? 0.5f + rnd.nextFloat()
                        : (float) (0.2 * rnd.nextGaussian());
            }
            a.set(v);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet8", "resnet20", "resnet8x4", "wrn_16_2", "resnet10", "resnet50_cifar", "conv4"})
    void fusedPath_matchesTheEagerPassUpToRounding(String model) {
        try (Network net = Models.create(model, new ModelSpec(3, 32, 10, 0), 5, manager)) {
            perturbBatchNorm(net, 11);
            NDArray x = manager.randomNormal(new Shape(6, 3, 32, 32));
            NetworkOutput eager = net.forward(x, false);
            try (Inference inference = Inference.open(net, manager)) {
                assertEquals(Inference.FUSED, inference.path(), "kernel: " + OneDnnKernel.unavailableReason());
                NetworkOutput fused = inference.forward(x);
                assertEquals(eager.features().getShape(), fused.features().getShape());
                assertTrue(fused.stages().isEmpty(), "the fused path keeps no stage outputs");
                assertClose(eager.features().toFloatArray(), fused.features().toFloatArray(), "features");
                assertClose(eager.pooled().toFloatArray(), fused.pooled().toFloatArray(), "pooled");
                float[] a = eager.logits().toFloatArray();
                float[] b = fused.logits().toFloatArray();
                assertClose(a, b, "logits");
                assertArrayEquals(argmax(a, 10), argmax(b, 10), "same predictions");
            }
        }
    }

    /** |a - b| <= 1e-5 * max |a| + 1e-6 everywhere: float32 rounding, nothing structural. */
    private static void assertClose(float[] a, float[] b, String what) {
        assertEquals(a.length, b.length, what);
        double scale = 0;
        for (float v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 1e-3, what + " should not be all zero");
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5 * scale + 1e-6, what + "[" + i + "]");
        }
    }

    private static int[] argmax(float[] logits, int k) {
        int[] out = new int[logits.length / k];
        for (int n = 0; n < out.length; n++) {
            for (int c = 1; c < k; c++) {
                if (logits[n * k + c] > logits[n * k + out[n]]) {
                    out[n] = c;
                }
            }
        }
        return out;
    }

    @Test
    void fallsBackToEager_whenAskedForAGateOrAnUnsupportedModel() {
        NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
        try (Network net = Models.create("resnet8", new ModelSpec(3, 32, 10, 0), 5, manager)) {
            EngineSetup.setInference("eager");
            try (Inference inference = Inference.open(net, manager)) {
                assertEquals(Inference.EAGER, inference.path());
                assertArrayEquals(net.forward(x, false).logits().toFloatArray(),
                        inference.forward(x).logits().toFloatArray(), "eager is the plain forward pass");
            }
            EngineSetup.setInference("fused");
            net.store().residualUnits().setGate((branch, unit, units, training, progress) -> branch.mul(0.5f));
            try (Inference inference = Inference.open(net, manager)) {
                assertEquals(Inference.EAGER, inference.path(), "a residual gate is not folded");
            }
        }
        for (String model : new String[] {"vgg8", "mobilenetv2", "pyramidnet11_48"}) {
            try (Network net = Models.create(model, new ModelSpec(3, 32, 10, 0), 5, manager);
                    Inference inference = Inference.open(net, manager)) {
                assertEquals(Inference.EAGER, inference.path(), model + " has no fused form (yet)");
            }
        }
    }

    @Test
    void closing_freesThePreparedWeights_andLeavesTheParametersAlone() {
        try (Network net = Models.create("resnet8", new ModelSpec(3, 32, 10, 0), 5, manager)) {
            NDManager root = manager.getParentManager();
            float[] before = net.store().parameters().get("layer2.0.conv1.weight").toFloatArray();
            int alive = root.getManagedArrays().size();
            int storeArrays = net.store().manager().getManagedArrays().size();
            try (NDManager step = manager.newSubManager()) {
                try (Inference inference = Inference.open(net, manager)) {
                    inference.forward(step.randomNormal(new Shape(2, 3, 32, 32)));
                }
            }
            assertEquals(storeArrays, net.store().manager().getManagedArrays().size(), "nothing added to the store");
            assertEquals(alive, root.getManagedArrays().size(), "no array left alive");
            assertArrayEquals(before, net.store().parameters().get("layer2.0.conv1.weight").toFloatArray(),
                    "folding works on copies");
        }
    }

    @Test
    void badMode_isAOneLineUserError() {
        UserException e = assertThrows(UserException.class, () -> EngineSetup.setInference("fast"));
        assertEquals("--inference must be fused or eager, got 'fast'", e.getMessage());
    }
}
