package cambench.harness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DenseNet-BC for 32x32 inputs: bottleneck layers and compression 0.5.
 *
 * <p>Structure for depth L and growth k: conv3x3 with 2k channels, then three dense blocks of
 * {@code n = (L - 4) / 6} {@link DenseLayer}s, separated by transitions (BN-ReLU-conv1x1 to half
 * the channels, avgpool 2x2), then the final BN + ReLU (feature map 8x8 on 32x32 inputs). Stage
 * outputs are the raw concatenated maps at the end of each dense block. Registered:
 * {@code densenet_bc_100_12}, {@code densenet_bc_190_40}. Reference: Huang et al., "Densely
 * Connected Convolutional Networks", CVPR 2017, Sec. 3-4 and Table 2.
 */
public final class DenseNetBc {

    private DenseNetBc() {
    }

    /** Builds DenseNet-BC-{@code depth} with growth rate {@code growth}. */
    public static Backbone create(ParameterStore store, ModelSpec spec, int depth, int growth) {
        if (depth < 10 || (depth - 4) % 6 != 0 || growth < 1) {
            throw new IllegalArgumentException("DenseNet-BC needs depth = 6n + 4 (n >= 1) and growth >= 1, got "
                    + depth + "/" + growth);
        }
        int n = (depth - 4) / 6;
        int channels = 2 * growth;
        Conv2d stem = new Conv2d(store, "conv1", spec.inputChannels(), channels, 3, 1, 1);
        List<List<Block>> stages = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            List<Block> blocks = new ArrayList<>();
            if (d > 0) {
                int out = channels / 2;
                blocks.add(transition(store, "trans" + d, channels, out));
                channels = out;
            }
            for (int i = 0; i < n; i++) {
                blocks.add(new DenseLayer(store, "dense" + (d + 1) + "." + i, channels, growth));
                channels += growth;
            }
            stages.add(blocks);
        }
        return new StagedBackbone((x, training) -> stem.forward(x), stages, new BnRelu(store, "bn", channels),
                channels);
    }

    private static Block transition(ParameterStore store, String name, int in, int out) {
        BnRelu pre = new BnRelu(store, name + ".bn", in);
        Conv2d conv = new Conv2d(store, name + ".conv", in, out, 1, 1, 0);
        return (x, training) -> Ops.avgPool(conv.forward(pre.forward(x, training)), 2, 2, 0);
    }

    /** Adds {@code densenet_bc_100_12} and {@code densenet_bc_190_40}. */
    static void register(Map<String, BackboneFactory> registry) {
        registry.put("densenet_bc_100_12", (store, spec) -> create(store, spec, 100, 12));
        registry.put("densenet_bc_190_40", (store, spec) -> create(store, spec, 190, 40));
    }
}
