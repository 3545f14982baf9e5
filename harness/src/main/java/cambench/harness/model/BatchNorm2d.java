package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.harness.engine.OneDnnKernel;

/**
 * Batch normalisation over the channel axis of [N, C, H, W] (or [N, C]), PyTorch semantics:
 * eps 1e-5, running statistics updated with momentum 0.1 in training, used in evaluation.
 */
public final class BatchNorm2d {
    private static final float EPS = 1e-5f;
    /** DJL's convention: running = momentum * running + (1 - momentum) * batch. */
    private static final float DJL_MOMENTUM = 0.9f;

    private final NDArray gamma;
    private final NDArray beta;
    private final NDArray runningMean;
    private final NDArray runningVar;

    /** Creates the layer for {@code channels} channels, gamma 1 and beta 0. */
    public BatchNorm2d(ParameterStore store, String name, int channels) {
        Shape shape = new Shape(channels);
        gamma = store.parameter(name + ".weight", shape, Init.constant(1f));
        beta = store.parameter(name + ".bias", shape, Init.constant(0f));
        runningMean = store.buffer(name + ".running_mean", shape, 0f);
        runningVar = store.buffer(name + ".running_var", shape, 1f);
    }

    /**
     * Evaluation-mode BN as a per-channel affine map {@code x * scale + shift}: scale
     * {@code gamma / sqrt(running_var + eps)}, shift {@code beta - running_mean * scale}.
     */
    NDArray[] evalScaleShift(NDManager m) {
        NDArray scale = Ops.copyInto(m, gamma).divi(Ops.copyInto(m, runningVar).addi(EPS).sqrt());
        return new NDArray[] {scale, Ops.copyInto(m, beta).subi(scale.mul(runningMean))};
    }

    /** Evaluation-mode BN of a blocked-layout {@code x} on the oneDNN path, then ReLU if asked. */
    NDArray evalForward(OneDnnKernel kernel, NDManager out, NDArray x, boolean relu) {
        return kernel.batchNorm(out, x, gamma, beta, runningMean, runningVar, relu);
    }

    /** Normalises {@code x}; in training also updates the running statistics in place. */
    public NDArray forward(NDArray x, boolean training) {
        return x.getNDArrayInternal()
                .batchNorm(x, runningMean, runningVar, gamma, beta, -1, DJL_MOMENTUM, EPS, training)
                .singletonOrThrow();
    }
}
