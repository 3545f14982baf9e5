package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CIFAR ResNets of He et al. 2016 (depth 6n+2, basic blocks) in the variant used by CRD and
 * mdistiller: a 1x1 conv + BN projection where the shape changes.
 *
 * <p>{@code resnet20/32/56/110}: widths 16-32-64 after a 16-channel stem. {@code resnet8x4} and
 * {@code resnet32x4}: stem 32, widths 64-128-256. On 32x32 inputs the last feature map is 8x8.
 * Stage outputs are post-ReLU.
 */
public final class CifarResNet implements Backbone {
    private final Conv2d stem;
    private final BatchNorm2d stemBn;
    private final List<List<BasicBlock>> stages = new ArrayList<>();
    private final int channels;

    /**
     * Builds the network.
     *
     * @param store parameter store
     * @param inputChannels image channels
     * @param stem stem width
     * @param widths width of each of the three stages
     * @param blocksPerStage n (depth = 6n + 2)
     */
    public CifarResNet(ParameterStore store, int inputChannels, int stem, int[] widths, int blocksPerStage) {
        this.stem = new Conv2d(store, "conv1", inputChannels, stem, 3, 1, 1);
        this.stemBn = new BatchNorm2d(store, "bn1", stem);
        int in = stem;
        for (int s = 0; s < widths.length; s++) {
            List<BasicBlock> blocks = new ArrayList<>();
            for (int b = 0; b < blocksPerStage; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                blocks.add(new BasicBlock(store, "layer" + (s + 1) + "." + b, in, widths[s], stride));
                in = widths[s];
            }
            stages.add(blocks);
        }
        this.channels = in;
    }

    /** Adds resnet20/32/56/110, resnet8x4 and resnet32x4 to a registry. */
    static void register(Map<String, BackboneFactory> registry) {
        for (int depth : new int[] {8, 14, 20, 32, 44, 56, 110}) {
            int n = (depth - 2) / 6;
            registry.put("resnet" + depth,
                    (store, spec) -> new CifarResNet(store, spec.inputChannels(), 16, new int[] {16, 32, 64}, n));
        }
        for (int depth : new int[] {8, 32}) {
            int n = (depth - 2) / 6;
            registry.put("resnet" + depth + "x4",
                    (store, spec) -> new CifarResNet(store, spec.inputChannels(), 32, new int[] {64, 128, 256}, n));
        }
    }

    @Override
    public int featureChannels() {
        return channels;
    }

    @Override
    public int stageCount() {
        return stages.size();
    }

    /**
     * Folded, packed stem and blocks; none while a residual gate (ShakeDrop, stochastic depth,
     * DropBlock) is set (the blocks then have no fused form).
     */
    @Override
    public Optional<InferencePlan> inferencePlan(OneDnnKernel kernel, NDManager manager) {
        FusedConv stemConv = stem.fuse(stemBn, kernel, manager);
        List<BasicBlock> blocks = new ArrayList<>();
        stages.forEach(blocks::addAll);
        return FusedBlock.chain(Optional.of((x, out) -> stemConv.apply(kernel, out, x, true)), blocks, kernel,
                manager).map(b -> b.asPlan(kernel));
    }

    @Override
    public BackboneOutput forward(NDArray x, boolean training, StageMix mix) {
        NDArray h = stemBn.forward(stem.forward(mix.apply(0, x)), training).getNDArrayInternal().relu();
        List<NDArray> outs = new ArrayList<>();
        for (List<BasicBlock> stage : stages) {
            for (BasicBlock block : stage) {
                h = block.forward(h, training);
            }
            h = mix.apply(outs.size() + 1, h);
            outs.add(h);
        }
        return new BackboneOutput(outs, h);
    }
}
