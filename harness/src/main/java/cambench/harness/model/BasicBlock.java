package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

/**
 * A post-activation residual basic block: conv3x3-BN-ReLU-conv3x3-BN, plus the shortcut, then
 * ReLU. The shortcut is a 1x1 conv + BN projection when stride or width change (option B).
 */
final class BasicBlock implements Block {
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

    /**
     * The block on the oneDNN path: conv1+bn1, conv2+bn2 and the projection folded and packed,
     * applied in one kernel call to a blocked-layout input; none while gated.
     */
    @Override
    public Optional<FusedBlock> fuse(OneDnnKernel kernel, NDManager manager) {
        if (units.gated()) {
            return Optional.empty();
        }
        FusedConv c1 = conv1.fuse(bn1, kernel, manager);
        FusedConv c2 = conv2.fuse(bn2, kernel, manager);
        FusedConv p = projection == null ? null : projection.fuse(projectionBn, kernel, manager);
        NDArray[] convs = p == null
                ? new NDArray[] {c1.packedWeight(), c1.bias(), c2.packedWeight(), c2.bias()}
                : new NDArray[] {c1.packedWeight(), c1.bias(), c2.packedWeight(), c2.bias(), p.packedWeight(),
                    p.bias()};
        int stride = c1.stride();
        return Optional.of((x, out) -> kernel.basicBlock(out, x, stride, convs));
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = bn1.forward(conv1.forward(x), training).getNDArrayInternal().relu();
        h = units.apply(bn2.forward(conv2.forward(h), training), unit, training);
        NDArray shortcut = projection == null ? x : projectionBn.forward(projection.forward(x), training);
        // in place: h is BN's output, which BN's backward does not need (x, a stage output, stays intact)
        return h.addi(shortcut).getNDArrayInternal().relu();
    }
}
