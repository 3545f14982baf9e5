package cambench.harness.model;

import ai.djl.ndarray.NDArray;

/**
 * MobileNetV2's inverted residual: conv1x1 (t in)-BN-ReLU, depthwise conv3x3 (stride)-BN-ReLU,
 * conv1x1 (out)-BN (linear bottleneck), plus the input when stride is 1 and widths match. The
 * expansion conv is present even for t = 1, as in CRD's CIFAR variant (Sandler et al. 2018,
 * Table 1).
 */
final class InvertedResidual implements Block {
    private final ConvBn expand;
    private final ConvBn depthwise;
    private final ConvBn project;
    private final boolean residual;

    InvertedResidual(ParameterStore store, String name, int in, int out, int stride, int expansion) {
        int hidden = in * expansion;
        expand = new ConvBn(store, name + ".conv.0", name + ".conv.1", in, hidden, 1, 1, true);
        depthwise = new ConvBn(store, name + ".conv.3", name + ".conv.4", hidden, hidden, 3, stride, hidden,
                false, true);
        project = new ConvBn(store, name + ".conv.6", name + ".conv.7", hidden, out, 1, 1, false);
        residual = stride == 1 && in == out;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = project.forward(depthwise.forward(expand.forward(x, training), training), training);
        return residual ? h.add(x) : h;
    }
}
