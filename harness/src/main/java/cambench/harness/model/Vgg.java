package cambench.harness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR VGGs with BatchNorm of CRD and mdistiller.
 *
 * <p>Structure: five blocks of conv3x3 (with bias) + BN + ReLU layers, widths 64, 128, 256, 512,
 * 512; maxpool 2x2 before blocks 2, 3 and 4, and before block 5 only for inputs of 64 pixels or
 * more (CRD pools there for 64x64 inputs only). VGG-8: one conv per block; VGG-13: two. Stage
 * outputs are the post-ReLU block outputs; the feature map is the last (512 channels, 4x4 on
 * 32x32 inputs). Reference: Simonyan and Zisserman, ICLR 2015, Table 1 (config B); Tian et al.,
 * "Contrastive Representation Distillation", ICLR 2020 (models/vgg.py, {@code vgg8_bn},
 * {@code vgg13_bn}).
 */
public final class Vgg {
    private static final int[] WIDTHS = {64, 128, 256, 512, 512};

    private Vgg() {
    }

    /** Builds a VGG with {@code convsPerBlock} conv layers in each of its five blocks. */
    public static Backbone create(ParameterStore store, ModelSpec spec, int convsPerBlock) {
        List<List<Block>> stages = new ArrayList<>();
        int in = spec.inputChannels();
        for (int s = 0; s < WIDTHS.length; s++) {
            List<Block> blocks = new ArrayList<>();
            if (s > 0 && (s < 4 || spec.inputSize() >= 64)) {
                blocks.add((x, training) -> Ops.maxPool(x, 2, 2, 0));
            }
            for (int c = 0; c < convsPerBlock; c++) {
                String name = "block" + s + "." + c;
                blocks.add(new ConvBn(store, name + ".conv", name + ".bn", in, WIDTHS[s], 3, 1, 1, true, true));
                in = WIDTHS[s];
            }
            stages.add(blocks);
        }
        return new StagedBackbone(Block.identity(), stages, Block.identity(), in);
    }

    /** Adds {@code vgg8} and {@code vgg13}. */
    static void register(Map<String, BackboneFactory> registry) {
        registry.put("vgg8", (store, spec) -> create(store, spec, 1));
        registry.put("vgg13", (store, spec) -> create(store, spec, 2));
    }
}
