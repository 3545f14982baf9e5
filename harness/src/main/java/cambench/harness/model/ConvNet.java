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
 *
 * <p>{@code conv4np} is CloserLookFewShot's Conv-4 without pooling at the end ({@code Conv4NP},
 * the Relation Network backbone): only the first two blocks pool, and they convolve without
 * padding, so the map stays spatial (19x19 on 84x84, 5x5 on 28x28, 3x3 on 20x20) where Conv-4's
 * shrinks to 1x1 below 32 px, which would make every CAM a single, constant position.
 * Reference: Chen et al., "A Closer Look at Few-shot Classification", ICLR 2019, backbone.py
 * ({@code Conv4}, {@code Conv6}, {@code Conv4NP}); Snell et al. 2017 / Vinyals et al. 2016 for Conv-4.
 */
public final class ConvNet {
    private static final int WIDTH = 64;
    private static final int POOLED_BLOCKS = 4;

    private ConvNet() {
    }

    /** Builds Conv-{@code depth} ({@code depth >= 1}). */
    public static Backbone create(ParameterStore store, ModelSpec spec, int depth) {
        return create(store, spec, depth, POOLED_BLOCKS, 1);
    }

    /**
     * Builds a ConvNet whose first {@code pooledBlocks} blocks pool (and convolve with
     * {@code pooledPadding}); the others keep their size (padding 1).
     */
    static Backbone create(ParameterStore store, ModelSpec spec, int depth, int pooledBlocks, int pooledPadding) {
        if (depth < 1) {
            throw new IllegalArgumentException("ConvNet depth must be >= 1, got " + depth);
        }
        List<List<Block>> stages = new ArrayList<>();
        int in = spec.inputChannels();
        for (int i = 0; i < depth; i++) {
            boolean pooled = i < pooledBlocks;
            Conv2d conv = new Conv2d(store, "trunk." + i + ".C", in, WIDTH, 3, 1, pooled ? pooledPadding : 1, 1, true);
            ConvBn unit = new ConvBn(conv, store, "trunk." + i + ".BN", WIDTH, true);
            stages.add(List.of(pooled ? unit.thenMaxPool(2, 2, 0) : unit));
            in = WIDTH;
        }
        return new StagedBackbone(Block.identity(), stages, Block.identity(), WIDTH);
    }

    /** Adds {@code conv4}, {@code conv4np} and {@code conv6}. */
    static void register(Map<String, BackboneFactory> registry) {
        registry.put("conv4", (store, spec) -> create(store, spec, 4));
        registry.put("conv4np", (store, spec) -> create(store, spec, 4, 2, 0));
        registry.put("conv6", (store, spec) -> create(store, spec, 6));
    }
}
