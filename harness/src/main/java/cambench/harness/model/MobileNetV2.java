package cambench.harness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR MobileNetV2 of CRD and mdistiller ({@code mobile_half}: expansion 6, width 0.5).
 *
 * <p>Structure: conv3x3/2 (16) + BN + ReLU, then {@link InvertedResidual} groups (t, c, n, s) =
 * (1,16,1,1) (6,24,2,1) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1) with c scaled
 * by 0.5, then conv1x1 1280 + BN + ReLU: the feature map (1280 channels, 2x2 on 32x32 inputs:
 * the total stride is 16). Stages are grouped by resolution as mdistiller's feature list: groups
 * 1-2, 3, 4-5, 6-7. Reference: Sandler et al., "MobileNetV2", CVPR 2018, Table 2; Tian et al.,
 * "Contrastive Representation Distillation", ICLR 2020 (models/mobilenetv2.py).
 */
public final class MobileNetV2 {
    /** (t, c, n, s) of each inverted-residual group, with t = 0 meaning the net's expansion. */
    private static final int[][] GROUPS = {
        {1, 16, 1, 1}, {0, 24, 2, 1}, {0, 32, 3, 2}, {0, 64, 4, 2}, {0, 96, 3, 1}, {0, 160, 3, 2}, {0, 320, 1, 1},
    };
    /** Index of the last group of each stage. */
    private static final int[] STAGE_ENDS = {1, 2, 4, 6};
    private static final int LAST_CHANNELS = 1280;

    private MobileNetV2() {
    }

    /** Builds MobileNetV2 with expansion {@code t} and width multiplier {@code width} (at most 1). */
    public static Backbone create(ParameterStore store, ModelSpec spec, int t, double width) {
        if (t < 1 || width <= 0 || width > 1) {
            throw new IllegalArgumentException("MobileNetV2 needs t >= 1 and 0 < width <= 1");
        }
        int in = (int) (32 * width);
        ConvBn stem = new ConvBn(store, "conv1.0", "conv1.1", spec.inputChannels(), in, 3, 2, true);
        List<List<Block>> stages = new ArrayList<>();
        List<Block> stage = new ArrayList<>();
        int end = 0;
        for (int g = 0; g < GROUPS.length; g++) {
            int[] tcns = GROUPS[g];
            int out = (int) (tcns[1] * width);
            for (int b = 0; b < tcns[2]; b++) {
                stage.add(new InvertedResidual(store, "blocks." + g + "." + b, in, out, b == 0 ? tcns[3] : 1,
                        tcns[0] == 0 ? t : tcns[0]));
                in = out;
            }
            if (g == STAGE_ENDS[end]) {
                stages.add(stage);
                stage = new ArrayList<>();
                end++;
            }
        }
        ConvBn last = new ConvBn(store, "conv2.0", "conv2.1", in, LAST_CHANNELS, 1, 1, true);
        return new StagedBackbone(stem, stages, last, LAST_CHANNELS);
    }

    /** Adds {@code mobilenetv2} (CRD's {@code MobileNetV2}: t = 6, width 0.5). */
    static void register(Map<String, BackboneFactory> registry) {
        registry.put("mobilenetv2", (store, spec) -> create(store, spec, 6, 0.5));
    }
}
