package cambench.harness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR ShuffleNetV1 of CRD and mdistiller ({@code ShuffleV1}: 3 groups).
 *
 * <p>Structure: conv1x1 24 + BN + ReLU, then three stages of 4, 8, 4 {@link ShuffleUnit}s with
 * outputs 240, 480, 960 (the first unit of each stage has stride 2 and concatenates its pooled
 * input), group count 3. Stage outputs are post-ReLU; the feature map is the last one (960
 * channels, 4x4 on 32x32 inputs). Reference: Zhang et al., "ShuffleNet", CVPR 2018, Table 1;
 * Tian et al., "Contrastive Representation Distillation", ICLR 2020 (models/ShuffleNetv1.py).
 */
public final class ShuffleNetV1 {
    private static final int STEM = 24;

    private ShuffleNetV1() {
    }

    /** Builds the net with the given stage outputs, units per stage and groups. */
    public static Backbone create(ParameterStore store, ModelSpec spec, int[] outputs, int[] units, int groups) {
        ConvBn stem = new ConvBn(store, "conv1", "bn1", spec.inputChannels(), STEM, 1, 1, true);
        int in = STEM;
        List<List<Block>> stages = new ArrayList<>();
        for (int s = 0; s < outputs.length; s++) {
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < units[s]; b++) {
                int out = b == 0 ? outputs[s] - in : outputs[s];
                blocks.add(new ShuffleUnit(store, "layer" + (s + 1) + "." + b, in, out, b == 0 ? 2 : 1, groups));
                in = outputs[s];
            }
            stages.add(blocks);
        }
        return new StagedBackbone(stem, stages, Block.identity(), in);
    }

    /** Adds {@code shufflenetv1}. */
    static void register(Map<String, BackboneFactory> registry) {
        registry.put("shufflenetv1",
                (store, spec) -> create(store, spec, new int[] {240, 480, 960}, new int[] {4, 8, 4}, 3));
    }
}
