package cambench.harness.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import cambench.harness.engine.EngineSetup;
import cambench.harness.engine.OneDnnCaches;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel probe: which cache conditions make it probe, that it probes every distinct convolution
 * of a network at each batch size, that its Java evaluation agrees with the engine (strided,
 * pointwise, grouped, depthwise, 7x7), and that a wrong kernel (injected here) fails it with a line
 * naming the condition and the configuration.
 */
@Tag("engine")
class KernelCheckTest {
    private static final OneDnnCaches HIDDEN = new OneDnnCaches(OneDnnCaches.Condition.HIDDEN,
            "caches hidden: (injected)");
    private static final OneDnnCaches VISIBLE = new OneDnnCaches(OneDnnCaches.Condition.VISIBLE,
            "oneDNN reads L1d 48 KiB, L2 2 MiB (injected)");
    /** Shapes at which oneDNN's AVX kernels were wrong where caches are hidden. */
    private static final List<ConvShape> KNOWN_BAD = List.of(new ConvShape(16, 4, 1, 3, 1, 1),
            new ConvShape(12, 12, 1, 3, 1, 1));

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
    }

    @Test
    void check_plausibleCaches_probesNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            KernelCheck.Verdict v = KernelCheck.check(m, KNOWN_BAD, List.of(2), VISIBLE, false);
            assertTrue(v.passed());
            assertTrue(v.probed().isEmpty());
            assertEquals("passed: oneDNN reads L1d 48 KiB, L2 2 MiB (injected); nothing probed", v.summary());
        }
    }

    @Test
    void check_hiddenCaches_probesEveryDistinctConvolutionOfTheNetworkAtEachBatchSize() {
        try (NDManager m = NDManager.newBaseManager();
                Network net = Models.create("resnet8", new ModelSpec(3, 16, 10, 0), 1, m)) {
            List<ConvShape> layers = net.store().convolutions();
            Set<ConvShape> distinct = new LinkedHashSet<>(layers);
            // resnet8: stem 3->16, then per stage conv1 (strided from stage 2), conv2 and a 1x1 projection
            assertEquals(List.of(new ConvShape(3, 16, 1, 3, 1, 1), new ConvShape(16, 16, 1, 3, 1, 1),
                    new ConvShape(16, 32, 1, 3, 2, 1), new ConvShape(32, 32, 1, 3, 1, 1),
                    new ConvShape(16, 32, 1, 1, 2, 0), new ConvShape(32, 64, 1, 3, 2, 1),
                    new ConvShape(64, 64, 1, 3, 1, 1), new ConvShape(32, 64, 1, 1, 2, 0)), List.copyOf(distinct));
            KernelCheck.Verdict v = KernelCheck.check(m, layers, List.of(4, 16, 4), HIDDEN, false);
            assertEquals(distinct.size() * 2, v.probed().size());
            assertEquals(new KernelCheck.Probe(new ConvShape(3, 16, 1, 3, 1, 1), 4), v.probed().get(0));
            assertTrue(v.passed(), v.summary());
            assertEquals("passed: caches hidden: (injected); probed 8 convolution configuration(s) at batch 4/16"
                    + " (forward, input and weight gradients, 5 rounds)", v.summary());
        }
    }

    @Test
    void check_javaEvaluation_agreesWithEngine_stridedPointwiseGroupedDepthwiseLarge() {
        try (NDManager m = NDManager.newBaseManager()) {
            assumeTrue(KernelCheck.check(m, KNOWN_BAD, List.of(2), HIDDEN, true).passed(),
                    "skipped on this machine: oneDNN's AVX kernels compute 16->4 and 12->12 wrongly here (README,"
                            + " Tests)");
            List<ConvShape> shapes = List.of(new ConvShape(32, 64, 1, 3, 2, 1), new ConvShape(16, 32, 1, 1, 2, 0),
                    new ConvShape(24, 48, 3, 3, 1, 1), new ConvShape(16, 16, 16, 3, 2, 1),
                    new ConvShape(3, 8, 1, 7, 2, 3), new ConvShape(10, 6, 2, 1, 1, 0));
            KernelCheck.Verdict v = KernelCheck.check(m, shapes, List.of(1, 3), HIDDEN, true);
            assertTrue(v.passed(), v.summary());
            assertEquals(12, v.probed().size());
        }
    }

    @Test
    void check_wrongKernel_failsNamingConditionConfigurationAndResult() {
        ConvShape bad = new ConvShape(12, 12, 1, 3, 1, 1);
        KernelCheck.Convolution scaled = (x, w, s) -> {
            var y = KernelCheck.ENGINE.apply(x, w, s);
            return s.in() == 12 ? y.mul(1.5f) : y;
        };
        try (NDManager m = NDManager.newBaseManager()) {
            KernelCheck.Verdict v = KernelCheck.check(m, List.of(new ConvShape(16, 16, 1, 3, 1, 1), bad), List.of(2),
                    HIDDEN, false, scaled);
            assertFalse(v.passed());
            // every sampled output is 1.5 times the right value: all 64 are off
            assertEquals("output: 0 of 1536 values non-finite, 64 of 64 sampled values wrong of conv 12->12 3x3 stride 1"
                    + " pad 1 at batch 2 (8x8 input)", v.failure());
            String refusal = v.refusal("densenet");
            assertTrue(refusal.startsWith("model densenet: the engine's convolution kernels give wrong results on this"
                    + " machine (output: ") && refusal.contains("where caches hidden: (injected); start cambench with"
                    + " ONEDNN_MAX_CPU_ISA=SSE41") && !refusal.contains("\n"), refusal);
        }
    }

    @Test
    void check_nonFiniteResult_isCountedOverEveryValue() {
        KernelCheck.Convolution nanGradient = (x, w, s) -> {
            var y = KernelCheck.ENGINE.apply(x, w, s);
            // adds 0 * sqrt(-x[0,0,0,0]^2 - 1) = NaN to the output's first value: NaN reaches y and both gradients
            var poison = x.get(new NDIndex("0,0,0,0")).square().neg().sub(1).sqrt().mul(0);
            return y.add(poison);
        };
        try (NDManager m = NDManager.newBaseManager()) {
            KernelCheck.Verdict v = KernelCheck.check(m, List.of(new ConvShape(4, 4, 1, 3, 1, 1)), List.of(1), HIDDEN,
                    false, nanGradient);
            assertFalse(v.passed());
            assertTrue(v.failure().startsWith("output: 256 of 256 values non-finite"), v.failure());
        }
    }
}
