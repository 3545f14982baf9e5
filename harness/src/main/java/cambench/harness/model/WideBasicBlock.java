package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.harness.engine.OneDnnKernel;

import java.util.Optional;

/**
 * The pre-activation basic block of Wide ResNets: BN-ReLU-conv3x3-BN-ReLU-(dropout)-conv3x3, plus
 * the shortcut: the input itself when widths match, else a 1x1 conv (no BN) of the pre-activated
 * input (Zagoruyko and Komodakis 2016, Fig. 1(d); the layout of the authors' PyTorch code).
 */
final class WideBasicBlock implements Block {
    private final BnRelu pre;
    private final Conv2d conv1;
    private final BnRelu mid;
    private final Conv2d conv2;
    private final Conv2d shortcut;
    private final double dropout;
    private final ResidualUnits units;
    private final int unit;

    WideBasicBlock(ParameterStore store, String name, int in, int out, int stride, double dropout) {
        this.units = store.residualUnits();
        this.unit = units.register();
        this.pre = new BnRelu(store, name + ".bn1", in);
        this.conv1 = new Conv2d(store, name + ".conv1", in, out, 3, stride, 1);
        this.mid = new BnRelu(store, name + ".bn2", out);
        this.conv2 = new Conv2d(store, name + ".conv2", out, out, 3, 1, 1);
        this.shortcut = (in == out && stride == 1) ? null
                : new Conv2d(store, name + ".convShortcut", in, out, 1, stride, 0);
        this.dropout = dropout;
    }

    /**
     * bn1-ReLU on the kernel, conv1 with bn2 folded (+ ReLU), conv2, the shortcut, add (dropout is
     * off in evaluation); none while gated.
     */
    @Override
    public Optional<FusedBlock> fuse(OneDnnKernel kernel, NDManager manager) {
        if (units.gated()) {
            return Optional.empty();
        }
        FusedConv c1 = conv1.fuse(mid.bn(), kernel, manager);
        FusedConv c2 = conv2.fuse(null, kernel, manager);
        FusedConv sc = shortcut == null ? null : shortcut.fuse(null, kernel, manager);
        BatchNorm2d preBn = pre.bn();
        return Optional.of((x, out) -> {
            NDArray a = preBn.evalForward(kernel, out, x, true);
            NDArray h = c2.apply(kernel, out, c1.apply(kernel, out, a, true), false);
            return kernel.add(out, h, sc == null ? x : sc.apply(kernel, out, a, false), false);
        });
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray a = pre.forward(x, training);
        NDArray h = mid.forward(conv1.forward(a), training);
        h = conv2.forward(Ops.dropout(h, dropout, training));
        // in place: h is conv2's output, which conv's backward does not need (x stays intact)
        h = units.apply(h, unit, training);
        return h.addi(shortcut == null ? x : shortcut.forward(a));
    }
}
