package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

/** BatchNorm then ReLU: the pre-activation of WRN, PyramidNet and DenseNet blocks and their final tail. */
final class BnRelu implements Block {
    private final BatchNorm2d bn;

    /** Creates the unit for {@code channels} channels, BN parameters named {@code name.*}. */
    BnRelu(ParameterStore store, String name, int channels) {
        this.bn = new BatchNorm2d(store, name, channels);
    }

    /** Its BatchNorm (for folding into a convolution before it). */
    BatchNorm2d bn() {
        return bn;
    }

    @Override
    public Optional<FusedBlock> fuse(OneDnnKernel kernel, NDManager manager) {
        return Optional.of((x, out) -> bn.evalForward(kernel, out, x, true));
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return Ops.relu(bn.forward(x, training));
    }
}
