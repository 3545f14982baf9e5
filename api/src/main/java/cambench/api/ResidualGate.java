package cambench.api;

import ai.djl.ndarray.NDArray;

/**
 * What a network-level regularizer does to the residual branch of every residual unit:
 * {@code out = shortcut + gate(branch)}. Random draws use the array's manager
 * ({@code branch.getManager().randomUniform}), which the trainer seeds per epoch.
 */
@FunctionalInterface
public interface ResidualGate {
    /**
     * Gates one residual branch.
     *
     * @param branch the residual branch F(x) [N, C, H, W]
     * @param unit 0-based index of the unit, shallow to deep
     * @param units number of residual units of the network
     * @param training training mode (random); otherwise the gate's expectation
     * @param progress where training is (for a schedule such as DropBlock's keep probability);
     *     {@link Progress#steadyState()} in evaluation and outside a training run
     */
    NDArray apply(NDArray branch, int unit, int units, boolean training, Progress progress);
}
