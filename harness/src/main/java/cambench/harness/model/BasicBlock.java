package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/**
 * A post-activation residual basic block: conv3x3-BN-ReLU-conv3x3-BN, plus the shortcut, then
 * ReLU. The shortcut is a 1x1 conv + BN projection when stride or width change (option B).
 */
final class BasicBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d projection;
    private final BatchNorm2d projectionBn;
    private final ResidualUnits units;
    private final int unit;

    BasicBlock(ParameterStore store, String name, int in, int out, int stride) {
        units = store.residualUnits();
        unit = units.register();
        conv1 = new Conv2d(store, name + ".conv1", in, out, 3, stride, 1);
        bn1 = new BatchNorm2d(store, name + ".bn1", out);
        conv2 = new Conv2d(store, name + ".conv2", out, out, 3, 1, 1);
        bn2 = new BatchNorm2d(store, name + ".bn2", out);
        if (stride != 1 || in != out) {
            projection = new Conv2d(store, name + ".downsample.0", in, out, 1, stride, 0);
            projectionBn = new BatchNorm2d(store, name + ".downsample.1", out);
        } else {
            projection = null;
            projectionBn = null;
        }
    }

    NDArray forward(NDArray x, boolean training) {
        NDArray h = bn1.forward(conv1.forward(x), training).getNDArrayInternal().relu();
        h = units.apply(bn2.forward(conv2.forward(h), training), unit, training);
        NDArray shortcut = projection == null ? x : projectionBn.forward(projection.forward(x), training);
        // in place: h is BN's output, which BN's backward does not need (x, a stage output, stays intact)
        return h.addi(shortcut).getNDArrayInternal().relu();
    }
}
