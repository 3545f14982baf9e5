package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/**
 * PyramidNet's bottleneck unit: BN-conv1x1-BN-ReLU-conv3x3 (stride)-BN-ReLU-conv1x1 (4 planes)-BN,
 * plus a parameter-free shortcut: avgpool 2x2 when the stride is 2, then zero channels appended
 * up to the residual's width (Han et al. 2017, Fig. 6(d) and Sec. 3.2).
 */
final class PyramidBottleneck implements Block {
    private final BatchNorm2d bn1;
    private final ConvBn reduce;
    private final ConvBn conv;
    private final ConvBn expand;
    private final int stride;
    private final int out;
    private final ResidualUnits units;
    private final int unit;

    PyramidBottleneck(ParameterStore store, String name, int in, int planes, int stride) {
        this.units = store.residualUnits();
        this.unit = units.register();
        this.bn1 = new BatchNorm2d(store, name + ".bn1", in);
        this.reduce = new ConvBn(store, name + ".conv1", name + ".bn2", in, planes, 1, 1, true);
        this.conv = new ConvBn(store, name + ".conv2", name + ".bn3", planes, planes, 3, stride, true);
        this.expand = new ConvBn(store, name + ".conv3", name + ".bn4", planes, 4 * planes, 1, 1, false);
        this.stride = stride;
        this.out = 4 * planes;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = reduce.forward(bn1.forward(x, training), training);
        h = units.apply(expand.forward(conv.forward(h, training), training), unit, training);
        NDArray shortcut = stride == 1 ? x : Ops.avgPool(x, stride, stride, 0);
        return h.add(Ops.zeroPadChannels(shortcut, out));
    }
}
