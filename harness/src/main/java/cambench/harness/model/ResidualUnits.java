package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import cambench.api.Progress;
import cambench.api.ResidualGate;

/**
 * The residual units of one network, numbered shallow to deep as they are built, and the gate a
 * network-level regularizer puts on their branches ({@code out = shortcut + gate(branch)}); no
 * gate means the branch as it is.
 */
public final class ResidualUnits {
    private int count;
    private ResidualGate gate;
    private Progress progress = Progress.steadyState();

    /** Numbers a new unit (called by a residual block's constructor). */
    int register() {
        return count++;
    }

    /** How many residual units the network has (0: it has none, e.g. VGG or Conv-4). */
    public int count() {
        return count;
    }

    /** Sets the gate of every branch, or removes it ({@code null}). */
    public void setGate(ResidualGate g) {
        this.gate = g;
    }

    /** Whether a gate is set (the fused evaluation path does not apply gates). */
    boolean gated() {
        return gate != null;
    }

    /** Where training is, for the gate's schedule (the trainer sets it before each training step). */
    public void setProgress(Progress p) {
        this.progress = java.util.Objects.requireNonNull(p, "progress");
    }

    /** Gates the branch of unit {@code unit} (in evaluation at the steady state). */
    NDArray apply(NDArray branch, int unit, boolean training) {
        return gate == null ? branch
                : gate.apply(branch, unit, count, training, training ? progress : Progress.steadyState());
    }
}
