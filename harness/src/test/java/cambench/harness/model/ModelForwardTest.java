package cambench.harness.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import cambench.harness.engine.EngineSetup;
import cambench.harness.engine.OneDnnCaches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Forward shapes and end-to-end gradients of every architecture family, on batch 2. Large
 * registered nets are exercised through small configurations of the same classes.
 */
@Tag("engine")
class ModelForwardTest {
    private static final int BATCH = 2;
    private static final int CLASSES = 5;
    private static Engine engine;
    private NDManager manager;

    @BeforeAll
    static void startEngine() {
        engine = EngineSetup.start(2);
    }

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Builds {@code name}, runs one training step's forward and backward, checks shapes and the stem gradient. */
    private void checkRegistered(String name, int channels, int size, long featureChannels, long featureSize) {
        try (Network net = Models.create(name, new ModelSpec(channels, size, CLASSES, 0), 7, manager)) {
            check(net, channels, size, featureChannels, featureSize);
        }
    }

    /** As {@link #checkRegistered} for a backbone built directly by its class. */
    private void checkBuilt(BiFunction<ParameterStore, ModelSpec, Backbone> factory, int size,
            long featureChannels, long featureSize) {
        ParameterStore store = new ParameterStore(manager.newSubManager(), 7);
        Backbone backbone = factory.apply(store, new ModelSpec(3, size, CLASSES, 0));
        ClassifierHead head = new LinearHead(store, backbone.featureChannels(), CLASSES);
        try (Network net = new Network("built", store, backbone, head, CLASSES)) {
            check(net, 3, size, featureChannels, featureSize);
        }
    }

    private void check(Network net, int channels, int size, long featureChannels, long featureSize) {
        // as the trainer does: a network the engine computes wrongly on this machine is not trained here
        KernelCheck.Verdict kernels = KernelCheck.check(manager, net.store().convolutions(), List.of(BATCH),
                OneDnnCaches.ofThisMachine(), false);
        assumeTrue(kernels.passed(), "skipped on this machine: " + kernels.summary()
                + " (README, Tests); run with -Dcambench.onednn.isa=SSE41 to test them");
        assertEquals(featureChannels, net.backbone().featureChannels());
        Map.Entry<String, NDArray> first = net.store().parameters().entrySet().iterator().next();
        assertEquals(4, first.getValue().getShape().dimension(), "first parameter is the stem conv: " + first.getKey());
        assertEquals(channels, first.getValue().getShape().get(1), first.getKey());
        try (NDManager step = manager.newSubManager();
                GradientCollector gc = engine.newGradientCollector()) {
            NDArray x = step.randomNormal(new Shape(BATCH, channels, size, size));
            NetworkOutput out = net.forward(x, true);
            assertEquals(new Shape(BATCH, CLASSES), out.logits().getShape());
            assertEquals(new Shape(BATCH, featureChannels, featureSize, featureSize), out.features().getShape());
            assertEquals(new Shape(BATCH, featureChannels), out.pooled().getShape());
            assertTrue(out.stages().size() >= 3, "stage outputs: " + out.stages().size());
            gc.backward(out.logits().logSoftmax(1).mean().neg());
            NDArray grad = first.getValue().getGradient();
            assertNotNull(grad);
            float norm1 = grad.abs().sum().getFloat();
            assertTrue(Float.isFinite(norm1) && norm1 > 0, "gradient at " + first.getKey() + ": |g| sums to " + norm1);
        }
        try (NDManager eval = manager.newSubManager()) {
            NDArray x = eval.randomNormal(new Shape(BATCH, channels, size, size));
            assertEquals(new Shape(BATCH, CLASSES), net.forward(x, false).logits().getShape());
        }
    }

    @Test
    void forward_cifarResNet8_gives8x8AndStemGradient() {
        checkRegistered("resnet8", 3, 32, 64, 8);
    }

    @Test
    void forward_wrn16x1OnOneChannel28px_gives7x7AndStemGradient() {
        checkRegistered("wrn_16_1", 1, 28, 64, 7);
    }

    @Test
    void forward_wrnWithDropout_trainsAndEvaluates() {
        try (Network net = Models.create("wrn_16_1", new ModelSpec(3, 32, CLASSES, 0.3), 7, manager)) {
            check(net, 3, 32, 64, 8);
        }
    }

    @Test
    void forward_conv4_gives2x2On32AndStemGradient() {
        checkRegistered("conv4", 3, 32, 64, 2);
    }

    @Test
    void forward_conv4np_keepsSpatialMapsOnSmallInputs() {
        // the first two blocks convolve without padding, then pool; the last two keep the size:
        // 20 -> 18 -> 9 -> 7 -> 3 -> 3 -> 3 and 28 -> 26 -> 13 -> 11 -> 5 -> 5 -> 5
        checkRegistered("conv4np", 1, 20, 64, 3);
        checkRegistered("conv4np", 3, 28, 64, 5);
    }

    @Test
    void forward_conv6_keepsResolutionAfterFourPools() {
        checkRegistered("conv6", 3, 32, 64, 2);
    }

    @Test
    void forward_resnet10_gives1x1On32AndStemGradient() {
        checkRegistered("resnet10", 3, 32, 512, 1);
    }

    @Test
    void forward_resnet18On84_gives3x3() {
        try (Network net = Models.create("resnet18", new ModelSpec(3, 84, CLASSES, 0), 7, manager);
                NDManager eval = manager.newSubManager()) {
            NetworkOutput out = net.forward(eval.randomNormal(new Shape(BATCH, 3, 84, 84)), false);
            assertEquals(new Shape(BATCH, 512, 3, 3), out.features().getShape());
            assertEquals(4, out.stages().size());
            assertEquals(new Shape(BATCH, CLASSES), out.logits().getShape());
        }
    }

    @Test
    void forward_smallImageNetResNeXt_gives1x1On32AndStemGradient() {
        // the resnext50/101 code path (ImageNet stem, grouped bottlenecks) at base width 8
        ResNet.Config config = new ResNet.Config(true, true, new int[] {1, 1, 1, 1}, 8, 2, 64);
        checkBuilt((store, spec) -> ResNet.create(store, spec, config), 32, 4 * 64, 1);
    }

    @Test
    void forward_smallCifarResNeXt_gives8x8AndStemGradient() {
        // the resnext29_8x64d / resnet50_cifar code path (CIFAR stem, 3 stages) at base width 8
        ResNet.Config config = new ResNet.Config(false, true, new int[] {1, 1, 1}, 8, 2, 64);
        checkBuilt((store, spec) -> ResNet.create(store, spec, config), 32, 4 * 32, 8);
    }

    @Test
    void forward_smallDenseNetBc_gives8x8AndStemGradient() {
        // L = 22, k = 4: 8 + 3*4 = 20 -> 10 + 12 = 22 -> 11 + 12 = 23 channels
        checkBuilt((store, spec) -> DenseNetBc.create(store, spec, 22, 4), 32, 23, 8);
    }

    @Test
    void forward_smallPyramidNet_gives8x8AndStemGradient() {
        // depth 11 (one unit per stage), alpha 12: 4 * (16 + 12) = 112 channels
        checkBuilt((store, spec) -> PyramidNet.create(store, spec, 11, 12), 32, 112, 8);
    }

    @Test
    void forward_mobilenetv2_gives2x2On32AndStemGradient() {
        checkRegistered("mobilenetv2", 3, 32, 1280, 2);
    }

    @Test
    void forward_shufflenetv1_gives4x4On32AndStemGradient() {
        checkRegistered("shufflenetv1", 3, 32, 960, 4);
    }

    @Test
    void forward_vgg8_gives4x4On32AndStemGradient() {
        checkRegistered("vgg8", 3, 32, 512, 4);
    }
}
