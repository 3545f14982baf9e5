package cambench.harness.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The MACs counted from the layers that run equal hand counts of the architectures
 * ({@code conv: H' W' out (in/groups) k k}, {@code linear: in out}, per image).
 */
@Tag("engine")
class MacCounterTest {
    @BeforeAll
    static void engine() {
        EngineSetup.start(2);
    }

    private static long macsPerImage(String model, int side, int classes) {
        try (NDManager manager = NDManager.newBaseManager();
                Network net = Models.create(model, new ModelSpec(3, side, classes, 0), 1, manager)) {
            NDArray x = manager.zeros(new Shape(1, 3, side, side));
            return MacCounter.count(() -> net.forward(x, false));
        }
    }

    /** conv 3x3 on a side x side output: side^2 out in 9. */
    private static long c3(int side, int in, int out) {
        return (long) side * side * out * in * 9;
    }

    @Test
    void resnet20_cifar10_matchesHandCount() {
        long expected = c3(32, 3, 16)                                           // stem
                + 6 * c3(32, 16, 16)                                              // stage 1: 3 blocks x 2 convs
                + c3(16, 16, 32) + 5 * c3(16, 32, 32) + 16L * 16 * 32 * 16      // stage 2 + 1x1 projection
                + c3(8, 32, 64) + 5 * c3(8, 64, 64) + 8L * 8 * 64 * 32          // stage 3 + 1x1 projection
                + 64 * 10;                                                        // classifier
        assertEquals(40_813_184L, expected);
        assertEquals(expected, macsPerImage("resnet20", 32, 10));
    }

    @Test
    void resnet56_cifar100_matchesHandCount() {
        long expected = c3(32, 3, 16) + 18 * c3(32, 16, 16)
                + c3(16, 16, 32) + 17 * c3(16, 32, 32) + 16L * 16 * 32 * 16
                + c3(8, 32, 64) + 17 * c3(8, 64, 64) + 8L * 8 * 64 * 32 + 64 * 100;
        assertEquals(125_753_600L, expected);
        assertEquals(expected, macsPerImage("resnet56", 32, 100));
    }

    @Test
    void resnet50_imagenet_matchesHandCount() {
        // stem 7x7 to 112^2; bottlenecks (1x1 reduce at the input side, 3x3 with the stride, 1x1 expand,
        // 1x1 projection on each stage's first block) at 56, 28, 14, 7; classifier 2048 x 1000
        long expected = 112L * 112 * 64 * 3 * 49;
        int[] blocks = {3, 4, 6, 3};
        int in = 64;
        int side = 56;
        for (int s = 0; s < 4; s++) {
            int planes = 64 << s;
            int out = 4 * planes;
            for (int b = 0; b < blocks[s]; b++) {
                int outSide = s > 0 && b == 0 ? side / 2 : side;
                expected += (long) side * side * planes * in;
                expected += c3(outSide, planes, planes);
                expected += (long) outSide * outSide * out * planes;
                if (b == 0) {
                    expected += (long) outSide * outSide * out * in;
                }
                in = out;
                side = outSide;
            }
        }
        expected += 2048L * 1000;
        assertEquals(4_089_184_256L, expected);   // torchvision's ResNet-50: 4.09 GMACs
        assertEquals(expected, macsPerImage("resnet50", 224, 1000));
    }

    @Test
    void count_nests_andOutsideCountsNothing() {
        try (NDManager manager = NDManager.newBaseManager();
                Network net = Models.create("resnet20", new ModelSpec(3, 32, 10, 0), 1, manager)) {
            NDArray x = manager.zeros(new Shape(1, 3, 32, 32));
            long[] inner = new long[1];
            long outer = MacCounter.count(() -> {
                inner[0] = MacCounter.count(() -> net.forward(x, false));
                net.forward(x, false);
            });
            assertEquals(40_813_184L, inner[0]);
            assertEquals(2 * inner[0], outer);
            net.forward(x, false);   // not counted anywhere
        }
    }
}
