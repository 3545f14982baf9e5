package cambench.harness.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plain few-shot backbones Conv-4 and Conv-6 of CloserLookFewShot.
 *
 * <p>Structure: {@code depth} blocks of conv3x3 64 (with bias) + BN + ReLU, the first four each
 * followed by maxpool 2x2. Each block is one stage. The feature map is the output of the last
 * block after its pooling (64 channels; 5x5 on 84x84 inputs, 2x2 on 32x32); CloserLookFewShot
 * flattens that map (1600-d at 84x84) where cambench average-pools it, as for every backbone.
 * Reference: Chen et al., "A Closer Look at Few-shot Classification", ICLR 2019, backbone.py
 * ({@code Conv4}, {@code Conv6}); Snell et al. 2017 / Vinyals et al. 2016 for Conv-4.
 */
public final class ConvNet {
    private static final int WIDTH = 64;
    private static final int POOLED_BLOCKS = 4;

    private ConvNet() {
    }

    /** Builds Conv-{@code depth} ({@code depth >= 1}). */
    public static Backbone create(ParameterStore store, ModelSpec spec, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("ConvNet depth must be >= 1, got " + depth);
        }
        List<List<Block>> stages = new ArrayList<>();
        int in = spec.inputChannels();
        for (int i = 0; i < depth; i++) {
            ConvBn unit = new ConvBn(store, "trunk." + i + ".C", "trunk." + i + ".BN", in, WIDTH, 3, 1, 1,
                    true, true);
            stages.add(List.of(i < POOLED_BLOCKS
                    ? (x, training) -> Ops.maxPool(unit.forward(x, training), 2, 2, 0)
                    : unit));
            in = WIDTH;
        }
        return new StagedBackbone(Block.identity(), stages, Block.identity(), WIDTH);
    }

    /** Adds {@code conv4} and {@code conv6}. */
    static void register(Map<String, BackboneFactory> registry) {
        registry.put("conv4", (store, spec) -> create(store, spec, 4));
        registry.put("conv6", (store, spec) -> create(store, spec, 6));
    }
}
