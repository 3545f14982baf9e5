package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/**
 * ShuffleNetV1's unit: group conv1x1 (out/4)-BN-ReLU, channel shuffle, depthwise conv3x3
 * (stride)-BN-ReLU, group conv1x1 (out)-BN; with stride 1 added to the input, with stride 2
 * concatenated with avgpool3x3/2 of the input; then ReLU (Zhang et al. 2018, Fig. 2). As in CRD's
 * CIFAR code, the depthwise conv is followed by a ReLU (the paper has none there) and a first conv
 * on 24 channels is not grouped.
 */
final class ShuffleUnit implements Block {
    private final ConvBn conv1;
    private final ConvBn conv2;
    private final ConvBn conv3;
    private final int shuffleGroups;
    private final int stride;

    /** Creates the unit; {@code out} is the residual branch's width (excluding concatenated input). */
    ShuffleUnit(ParameterStore store, String name, int in, int out, int stride, int groups) {
        int mid = out / 4;
        int g = in == 24 ? 1 : groups;
        conv1 = new ConvBn(store, name + ".conv1", name + ".bn1", in, mid, 1, 1, g, false, true);
        conv2 = new ConvBn(store, name + ".conv2", name + ".bn2", mid, mid, 3, stride, mid, false, true);
        conv3 = new ConvBn(store, name + ".conv3", name + ".bn3", mid, out, 1, 1, groups, false, false);
        this.shuffleGroups = g;
        this.stride = stride;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = Ops.channelShuffle(conv1.forward(x, training), shuffleGroups);
        h = conv3.forward(conv2.forward(h, training), training);
        NDArray merged = stride == 1 ? h.add(x) : h.concat(Ops.avgPool(x, 3, 2, 1), 1);
        return Ops.relu(merged);
    }
}
