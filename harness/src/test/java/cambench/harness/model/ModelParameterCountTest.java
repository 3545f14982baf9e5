package cambench.harness.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Set;

/**
 * Exact trainable-parameter counts (backbone + linear head) of every registered architecture,
 * on 3-channel inputs: 100 classes for CIFAR nets, 1000 for ImageNet nets.
 *
 * <p>Where the expected values come from:
 * <ul>
 *   <li>ImageNet nets (1000 classes): torchvision.models' documented counts (resnet18 11,689,512;
 *       resnet34 21,797,672; resnet50 25,557,032; resnet101 44,549,160; resnext50_32x4d 25,028,904;
 *       resnext101_32x8d 88,791,336).</li>
 *   <li>Everything else: summed by hand from the published structure (conv: k*k*(in/groups)*out
 *       (+out with bias), BN: 2C, fc: C*K + K), cross-checked against the papers' rounded
 *       figures, which are quoted for CIFAR-10 (K = 10) where noted.</li>
 * </ul>
 */
@Tag("engine")
class ModelParameterCountTest {
    private static NDManager manager;

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @ParameterizedTest(name = "{0}/{1} classes: {2}")
    @CsvSource({
        // CifarResNet (option-B 1x1 projections as mdistiller), widths 16-32-64, n = (d-2)/6:
        // stem 3*16*9 + 32 = 464; fc 64*100 + 100 = 6,500; blocks summed per stage.
        // resnet56 0.86M, resnet110 1.73M (mdistiller/CRD tables); resnet20 0.27M, resnet32 0.46M.
        "resnet8, 100, 83_892",
        "resnet14, 100, 181_108",
        "resnet20, 100, 278_324",
        "resnet32, 100, 472_756",
        "resnet44, 100, 667_188",
        "resnet56, 100, 861_620",
        "resnet110, 100, 1_736_564",
        // stem 32, widths 64-128-256: resnet8x4 1.23M, resnet32x4 7.43M (CRD Table 1).
        "resnet8x4, 100, 1_233_540",
        "resnet32x4, 100, 7_433_860",
        // WRN-d-k: per block BN(in) + 3x3 in->w + BN(w) + 3x3 w->w (+ 1x1 in->w when in != w);
        // stem 3x3 3->16, final BN(64k), fc. Zagoruyko & Komodakis Table 1/4: WRN-28-10 36.5M,
        // WRN-40-4 8.9M, WRN-16-8 11.0M (CIFAR-10: 36,479,194 for 28-10); CRD: WRN-40-2 2.26M,
        // WRN-16-2 0.70M, WRN-40-1 0.57M.
        "wrn_16_1, 100, 180_916",
        "wrn_16_2, 100, 703_284",
        "wrn_16_4, 100, 2_772_020",
        "wrn_28_2, 100, 1_479_220",
        "wrn_28_4, 100, 5_872_180",
        "wrn_28_10, 100, 36_536_884",
        "wrn_40_1, 100, 569_780",
        "wrn_40_2, 100, 2_255_156",
        // Conv-4: 4 x (3x3 conv with bias + BN): (1792 + 128) + 3 * (36,928 + 128) = 113,088;
        // Conv-6: two more blocks, 187,200; fc 64*100 + 100 = 6,500.
        "conv4, 100, 119_588",
        "conv4np, 100, 119_588",
        "conv6, 100, 193_700",
        // ResNet-10 (1-1-1-1 basic blocks, CloserLookFewShot): by hand, same sum as torchvision's
        // resnet18 with one block per stage.
        "resnet10, 1000, 5_418_792",
        "resnet18, 1000, 11_689_512",
        "resnet34, 1000, 21_797_672",
        "resnet50, 1000, 25_557_032",
        "resnet101, 1000, 44_549_160",
        "resnext50_32x4d, 1000, 25_028_904",
        "resnext101_32x8d, 1000, 88_791_336",
        // ResNeXt-29 8x64d: Xie et al. Table 7 gives 34.4M (CIFAR-10: 34,426,698 by the same sum).
        "resnext29_8x64d, 100, 34_518_948",
        // CRD's CIFAR ResNet-50: 23.71M (CRD/mdistiller tables).
        "resnet50_cifar, 100, 23_705_252",
        // DenseNet-BC: Huang et al. Table 2: (L=100, k=12) 0.8M, (L=190, k=40) 25.6M; by hand for
        // CIFAR-10: 769,162 and 25,624,430.
        "densenet_bc_100_12, 100, 800_032",
        "densenet_bc_190_40, 100, 25_821_620",
        // PyramidNet-200 (alpha 240, bottleneck): by hand with the authors' width rule; CutMix
        // (Yun et al. 2019, Table 3) reports 26.8M on CIFAR-100 (Han et al. Table 4 prints 26.0M).
        "pyramidnet200_240, 100, 26_844_952",
        // stand-ins, by the same sum (it gives 26,844,952 for pyramidnet200_240): widths 32/48/64 and 32..112
        "pyramidnet11_48, 100, 144_532",
        "pyramidnet20_96, 100, 629_780",
        // CRD/mdistiller CIFAR nets: MobileNetV2 (T=6, w=0.5) 0.81M, ShuffleNetV1 0.95M,
        // VGG-8 3.96M, VGG-13 9.46M (DKD/CRD tables).
        "mobilenetv2, 100, 812_836",
        "shufflenetv1, 100, 949_258",
        "vgg8, 100, 3_965_028",
        "vgg13, 100, 9_462_180",
    })
    void parameterCount_registeredNet_matchesPublishedStructure(String name, int classes, String expected) {
        long want = Long.parseLong(expected.replace("_", ""));
        try (Network net = Models.create(name, new ModelSpec(3, 32, classes, 0), 1, manager)) {
            assertEquals(want, net.store().parameterCount(), name);
        }
    }

    @Test
    void parameterCount_everyNameAdded_isCoveredAbove() {
        // Guards against registering a name without an exact count in the table above.
        Set<String> covered = new HashSet<>(Set.of(
                "resnet8", "resnet14", "resnet20", "resnet32", "resnet44", "resnet56", "resnet110",
                "resnet8x4", "resnet32x4",
                "wrn_16_1", "wrn_16_2", "wrn_16_4", "wrn_28_2", "wrn_28_4", "wrn_28_10", "wrn_40_1", "wrn_40_2",
                "conv4", "conv4np", "conv6", "resnet10", "resnet18", "resnet34", "resnet50", "resnet101",
                "resnext50_32x4d", "resnext101_32x8d", "resnext29_8x64d", "resnet50_cifar",
                "densenet_bc_100_12", "densenet_bc_190_40", "pyramidnet200_240", "pyramidnet11_48", "pyramidnet20_96",
                "mobilenetv2", "shufflenetv1", "vgg8", "vgg13"));
        assertEquals(covered, Models.names());
        assertTrue(Models.names().contains("resnet50") && Models.names().contains("resnet56"));
    }
}
