package cambench.harness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ResNets and ResNeXts with basic or bottleneck blocks, torchvision's layout, with an ImageNet or
 * a CIFAR stem.
 *
 * <p>Structure: stem, then stages of {@code layers[s]} blocks with {@code planes = base * 2^s}
 * (strides 1, 2, 2, ...; the stride on the first block), no final activation beyond the blocks'
 * own ReLU. Basic blocks ({@link BasicBlock}) output {@code planes}; bottlenecks
 * ({@link Bottleneck}) output {@code 4 planes} with a 3x3 conv of {@code planes * widthPerGroup /
 * 64 * groups} channels. The ImageNet stem is conv7x7/2 + BN + ReLU + maxpool3x3/2 (the feature
 * map is the input size / 32, rounded up: 7x7 at 224, 3x3 at 84, 1x1 at 32); the CIFAR stem is
 * conv3x3/1 + BN + ReLU; both have {@code base} channels. Stage outputs are post-ReLU.
 *
 * <p>Registered names and references:
 * <ul>
 *   <li>{@code resnet10}, {@code resnet18}, {@code resnet34} (basic: 1-1-1-1, 2-2-2-2, 3-4-6-3),
 *       {@code resnet50}, {@code resnet101} (bottleneck: 3-4-6-3, 3-4-23-3): He et al., "Deep
 *       Residual Learning for Image Recognition", CVPR 2016, Table 1; torchvision.models; ResNet-10
 *       as in CloserLookFewShot's backbone.py (Chen et al., ICLR 2019).</li>
 *   <li>{@code resnext50_32x4d}, {@code resnext101_32x8d}: Xie et al., "Aggregated Residual
 *       Transformations for Deep Neural Networks", CVPR 2017, Table 1 (cardinality 32, bottleneck
 *       width 4d / 8d); torchvision.models.</li>
 *   <li>{@code resnext29_8x64d}: the CIFAR ResNeXt-29 of Xie et al. 2017, Sec. 5.3 (CIFAR stem 64,
 *       3 stages of 3 blocks, outputs 256-512-1024, cardinality 8, width 64d); 8x8 features on
 *       32x32 inputs.</li>
 *   <li>{@code resnet50_cifar}: ResNet-50 with the CIFAR stem, as CRD's resnetv2.py (Tian et al.,
 *       ICLR 2020); 4x4 features on 32x32 inputs.</li>
 * </ul>
 */
public final class ResNet {

    /**
     * One ResNet configuration.
     *
     * @param imagenetStem conv7x7/2 + maxpool stem (else conv3x3/1)
     * @param bottleneck bottleneck blocks (else basic blocks)
     * @param layers blocks per stage
     * @param base planes of the first stage (64 in all published nets)
     * @param groups cardinality of the bottleneck 3x3 conv
     * @param widthPerGroup bottleneck width per group, for {@code base = 64}
     */
    public record Config(boolean imagenetStem, boolean bottleneck, int[] layers, int base, int groups,
            int widthPerGroup) {
        /** Checks the configuration. */
        public Config {
            if (layers.length == 0 || base < 1 || groups < 1 || widthPerGroup < 1) {
                throw new IllegalArgumentException("bad ResNet config");
            }
            if (!bottleneck && (groups != 1 || widthPerGroup != 64)) {
                throw new IllegalArgumentException("basic blocks only support groups 1, width 64");
            }
            layers = layers.clone();
        }

        /** A torchvision ImageNet ResNet with plain (non-grouped) blocks. */
        static Config imagenet(boolean bottleneck, int... layers) {
            return new Config(true, bottleneck, layers, 64, 1, 64);
        }
    }

    private ResNet() {
    }

    /** Builds the backbone described by {@code config} for {@code spec.inputChannels()} channels. */
    public static Backbone create(ParameterStore store, ModelSpec spec, Config config) {
        int in = config.base();
        ConvBn stemConv = new ConvBn(store, "conv1", "bn1", spec.inputChannels(), in,
                config.imagenetStem() ? 7 : 3, config.imagenetStem() ? 2 : 1, true);
        Block stem = config.imagenetStem() ? stemConv.thenMaxPool(3, 2, 1) : stemConv;
        List<List<Block>> stages = new ArrayList<>();
        for (int s = 0; s < config.layers().length; s++) {
            int planes = config.base() << s;
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < config.layers()[s]; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                String name = "layer" + (s + 1) + "." + b;
                if (config.bottleneck()) {
                    int width = planes * config.widthPerGroup() / 64 * config.groups();
                    blocks.add(new Bottleneck(store, name, in, width, 4 * planes, stride, config.groups()));
                    in = 4 * planes;
                } else {
                    blocks.add(new BasicBlock(store, name, in, planes, stride));
                    in = planes;
                }
            }
            stages.add(blocks);
        }
        return new StagedBackbone(stem, stages, Block.identity(), in);
    }

    /** Adds the ImageNet ResNets/ResNeXts, {@code resnext29_8x64d} and {@code resnet50_cifar}. */
    static void register(Map<String, BackboneFactory> registry) {
        put(registry, "resnet10", Config.imagenet(false, 1, 1, 1, 1));
        put(registry, "resnet18", Config.imagenet(false, 2, 2, 2, 2));
        put(registry, "resnet34", Config.imagenet(false, 3, 4, 6, 3));
        put(registry, "resnet50", Config.imagenet(true, 3, 4, 6, 3));
        put(registry, "resnet101", Config.imagenet(true, 3, 4, 23, 3));
        put(registry, "resnext50_32x4d", new Config(true, true, new int[] {3, 4, 6, 3}, 64, 32, 4));
        put(registry, "resnext101_32x8d", new Config(true, true, new int[] {3, 4, 23, 3}, 64, 32, 8));
        put(registry, "resnext29_8x64d", new Config(false, true, new int[] {3, 3, 3}, 64, 8, 64));
        put(registry, "resnet50_cifar", new Config(false, true, new int[] {3, 4, 6, 3}, 64, 1, 64));
    }

    private static void put(Map<String, BackboneFactory> registry, String name, Config config) {
        registry.put(name, (store, spec) -> create(store, spec, config));
    }
}
