package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A backbone made of a stem, stages of blocks and a tail: {@code features = tail(stages(stem(x)))}.
 *
 * <p>The stage outputs are what the last block of each stage returns; the tail turns the last of
 * them into the post-activation feature map (the final BN + ReLU of pre-activation nets, the
 * 1x1 conv of MobileNetV2, or nothing).
 */
final class StagedBackbone implements Backbone {
    private final Block stem;
    private final List<List<Block>> stages;
    private final Block tail;
    private final int channels;

    /**
     * Assembles the backbone.
     *
     * @param stem first unit, applied to the images
     * @param stages blocks of each stage, shallow to deep
     * @param tail unit from the last stage output to the feature map
     * @param channels channels of the feature map
     */
    StagedBackbone(Block stem, List<List<Block>> stages, Block tail, int channels) {
        this.stem = stem;
        this.stages = List.copyOf(stages);
        this.tail = tail;
        this.channels = channels;
    }

    @Override
    public int featureChannels() {
        return channels;
    }

    @Override
    public int stageCount() {
        return stages.size();
    }

    /** Stem, every block and the tail on the oneDNN path, when each of them has a fused form. */
    @Override
    public Optional<InferencePlan> inferencePlan(OneDnnKernel kernel, NDManager manager) {
        List<Block> units = new ArrayList<>();
        stages.forEach(units::addAll);
        units.add(tail);
        return FusedBlock.chain(stem.fuse(kernel, manager), units, kernel, manager).map(b -> b.asPlan(kernel));
    }

    @Override
    public BackboneOutput forward(NDArray x, boolean training, StageMix mix) {
        NDArray h = stem.forward(mix.apply(0, x), training);
        List<NDArray> outs = new ArrayList<>(stages.size());
        for (List<Block> stage : stages) {
            for (Block block : stage) {
                h = block.forward(h, training);
            }
            h = mix.apply(outs.size() + 1, h);
            outs.add(h);
        }
        return new BackboneOutput(outs, tail.forward(h, training));
    }
}
