package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

/**
 * A post-activation bottleneck block: conv1x1-BN-ReLU, conv3x3 (stride, groups)-BN-ReLU,
 * conv1x1-BN, plus the shortcut, then ReLU. The shortcut is a 1x1 conv + BN projection when
 * stride or width change. The stride sits on the 3x3 conv (torchvision's "ResNet v1.5"); with
 * groups &gt; 1 it is the ResNeXt block (Xie et al. 2017, Fig. 3(c)). Names follow torchvision.
 */
final class Bottleneck implements Block {
    private final ConvBn reduce;
    private final ConvBn conv;
    private final ConvBn expand;
    private final ConvBn projection;
    private final ResidualUnits units;
    private final int unit;

    /**
     * Creates the block.
     *
     * @param in input channels
     * @param width channels of the 3x3 conv
     * @param out output channels
     * @param stride stride of the 3x3 conv and of the projection
     * @param groups groups of the 3x3 conv (the cardinality)
     */
    Bottleneck(ParameterStore store, String name, int in, int width, int out, int stride, int groups) {
        units = store.residualUnits();
        unit = units.register();
        reduce = new ConvBn(store, name + ".conv1", name + ".bn1", in, width, 1, 1, true);
        conv = new ConvBn(store, name + ".conv2", name + ".bn2", width, width, 3, stride, groups, false, true);
        expand = new ConvBn(store, name + ".conv3", name + ".bn3", width, out, 1, 1, false);
        projection = (stride != 1 || in != out)
                ? new ConvBn(store, name + ".downsample.0", name + ".downsample.1", in, out, 1, stride, false)
                : null;
    }

    /** reduce, 3x3 and expand with their BNs folded, the projection too; none while gated. */
    @Override
    public Optional<FusedBlock> fuse(OneDnnKernel kernel, NDManager manager) {
        if (units.gated()) {
            return Optional.empty();
        }
        FusedConv r = reduce.fusedConv(kernel, manager);
        FusedConv c = conv.fusedConv(kernel, manager);
        FusedConv e = expand.fusedConv(kernel, manager);
        FusedConv p = projection == null ? null : projection.fusedConv(kernel, manager);
        return Optional.of((x, out) -> {
            NDArray h = e.apply(kernel, out, c.apply(kernel, out, r.apply(kernel, out, x, true), true), false);
            return kernel.add(out, h, p == null ? x : p.apply(kernel, out, x, false), true);
        });
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = expand.forward(conv.forward(reduce.forward(x, training), training), training);
        NDArray shortcut = projection == null ? x : projection.forward(x, training);
        return Ops.relu(units.apply(h, unit, training).add(shortcut));
    }
}
