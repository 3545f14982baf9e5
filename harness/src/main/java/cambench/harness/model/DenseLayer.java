package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/**
 * A DenseNet-BC bottleneck layer: BN-ReLU-conv1x1 (4k)-BN-ReLU-conv3x3 (k), its k new channels
 * concatenated to the input: [N, C, H, W] to [N, C + k, H, W] (Huang et al. 2017, Sec. 3).
 */
final class DenseLayer implements Block {
    private final BnRelu pre1;
    private final Conv2d conv1;
    private final BnRelu pre2;
    private final Conv2d conv2;

    DenseLayer(ParameterStore store, String name, int in, int growth) {
        pre1 = new BnRelu(store, name + ".bn1", in);
        conv1 = new Conv2d(store, name + ".conv1", in, 4 * growth, 1, 1, 0);
        pre2 = new BnRelu(store, name + ".bn2", 4 * growth);
        conv2 = new Conv2d(store, name + ".conv2", 4 * growth, growth, 3, 1, 1);
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = conv1.forward(pre1.forward(x, training));
        h = conv2.forward(pre2.forward(h, training));
        return x.concat(h, 1);
    }
}
