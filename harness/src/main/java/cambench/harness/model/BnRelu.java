package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/** BatchNorm then ReLU: the pre-activation of WRN, PyramidNet and DenseNet blocks and their final tail. */
final class BnRelu implements Block {
    private final BatchNorm2d bn;

    /** Creates the unit for {@code channels} channels, BN parameters named {@code name.*}. */
    BnRelu(ParameterStore store, String name, int channels) {
        this.bn = new BatchNorm2d(store, name, channels);
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return Ops.relu(bn.forward(x, training));
    }
}
