package cambench.harness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bottleneck PyramidNets for 32x32 inputs: the width grows by {@code alpha / (3n)} at every unit.
 *
 * <p>Structure for depth d and widening factor alpha: conv3x3 16 + BN (no ReLU), then three
 * stages of {@code n = (d - 2) / 9} {@link PyramidBottleneck}s (strides 1, 2, 2); unit i of all
 * 3n has {@code planes_i = round(16 + i alpha / (3n))} (accumulated in double precision, rounded
 * half to even, as the authors' code) and outputs {@code 4 planes_i}; then the final BN + ReLU
 * (feature map {@code 4 (16 + alpha)} channels, 8x8 on 32x32 inputs). Stage outputs are the raw
 * unit sums. Registered: {@code pyramidnet200_240} (and the stand-ins of {@link #register}). Reference: Han, Kim and Kim, "Deep Pyramidal
 * Residual Networks", CVPR 2017, Table 4; the authors' PyramidNet-PyTorch code.
 */
public final class PyramidNet {

    private PyramidNet() {
    }

    /** Builds the bottleneck PyramidNet of depth {@code depth = 9n + 2} and widening {@code alpha}. */
    public static Backbone create(ParameterStore store, ModelSpec spec, int depth, int alpha) {
        if (depth < 11 || (depth - 2) % 9 != 0 || alpha < 0) {
            throw new IllegalArgumentException("bottleneck PyramidNet needs depth = 9n + 2 (n >= 1) and alpha >= 0,"
                    + " got " + depth + "/" + alpha);
        }
        int n = (depth - 2) / 9;
        double addRate = alpha / (3.0 * n);
        double width = 16;
        int in = 16;
        ConvBn stem = new ConvBn(store, "conv1", "bn1", spec.inputChannels(), in, 3, 1, false);
        List<List<Block>> stages = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<Block> blocks = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                width += addRate;
                int planes = (int) Math.rint(width);
                blocks.add(new PyramidBottleneck(store, "layer" + (s + 1) + "." + b, in, planes,
                        (s > 0 && b == 0) ? 2 : 1));
                in = 4 * planes;
            }
            stages.add(blocks);
        }
        return new StagedBackbone(stem, stages, new BnRelu(store, "bn_final", in), in);
    }

    /**
     * Adds {@code pyramidnet200_240} and two small stand-ins for CPU presets: {@code pyramidnet11_48}
     * (one unit per stage) and {@code pyramidnet20_96} (two units per stage; every width a multiple of 16, the channel counts oneDNN's AVX kernels computed
     * right even where the caches were hidden, see KernelCheck).
     */
    static void register(Map<String, BackboneFactory> registry) {
        registry.put("pyramidnet200_240", (store, spec) -> create(store, spec, 200, 240));
        registry.put("pyramidnet11_48", (store, spec) -> create(store, spec, 11, 48));
        registry.put("pyramidnet20_96", (store, spec) -> create(store, spec, 20, 96));
    }
}
