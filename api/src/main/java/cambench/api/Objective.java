package cambench.api;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * One training objective: a step's outputs to named scalar loss terms whose sum is minimised.
 *
 * <p>Implementations are small and stateless except for what {@link #state()} exposes (e.g. the
 * class centres of center loss), which the trainer checkpoints. Schedules (CAM-loss alpha step,
 * L-Softmax lambda annealing) read {@link StepOutputs#progress()}; the trainer knows no loss.
 */
public interface Objective {

    /** The registry name, e.g. {@code cam}. */
    String name();

    /**
     * The loss terms of one step, by name (e.g. {@code ce}, {@code cam}), each a scalar already
     * multiplied by its weight; the objective is their sum.
     */
    LossTerms terms(StepOutputs out);

    /** Called after the optimizer step with the same outputs (e.g. center-loss centre update). */
    default void afterStep(StepOutputs out) {
    }

    /** Arrays that are part of the objective's state, by name; checkpointed and restored in place. */
    default Map<String, NDArray> state() {
        return Map.of();
    }

    /** Whether {@link StepOutputs#teacher()} must be present (distillers). */
    default boolean needsTeacher() {
        return false;
    }
}
