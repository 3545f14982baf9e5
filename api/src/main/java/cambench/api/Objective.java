package cambench.api;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * One training objective: a step's outputs to named scalar loss terms whose sum is minimised.
 *
 * <p>An objective does not know its own name or kind: its {@link ObjectiveProvider} states them.
 * Implementations are small and stateless except for what {@link #state()} exposes (e.g. the
 * class centres of center loss), which the trainer checkpoints. Schedules (CAM-loss alpha step,
 * L-Softmax lambda annealing) read {@link StepOutputs#progress()}; the trainer knows no loss.
 *
 * <p>Array lifetimes:
 * <ul>
 *   <li>Arrays made in {@link ObjectiveProvider#create} from {@link ObjectiveContext#manager()}
 *       (state, constants) live until the run ends, whether or not {@link #state()} lists them.
 *   <li>Arrays of a step ({@link StepOutputs}, its teacher, and results of ops on them) belong to
 *       the step and are freed when it ends; never keep them in a field.
 *   <li>Results of ops called on the objective's own arrays (e.g. {@code centers.stopGradient()})
 *       land in the objective's manager and are freed after the step, unless {@link #state()}
 *       lists them. So: update long-lived arrays in place ({@code subi}, {@code set}), or list
 *       a replaced array in {@link #state()}.
 * </ul>
 */
public interface Objective {

    /**
     * The loss terms of one step, by name (e.g. {@code ce}, {@code cam}), each a scalar already
     * multiplied by its weight; the objective is their sum.
     */
    LossTerms terms(StepOutputs out);

    /**
     * The loss terms of a step whose images were mixed by a label-mixing regularizer
     * ({@link StepOutputs#mix()} present): the objective's mixed form. The default refuses (a
     * one-line {@link UserException}; the trainer adds the objective's and the regularizer's
     * names); objectives that are sums over samples of a function of the target return
     * {@link LabelMix#weightedSum}, as CE and CAM-loss do (docs/regularizers.md).
     */
    default LossTerms mixedTerms(StepOutputs out) {
        throw new UserException("it defines no mixed form for two label sets");
    }

    /** Called after the optimizer step with the same outputs (e.g. center-loss centre update). */
    default void afterStep(StepOutputs out) {
    }

    /**
     * Arrays that are part of the objective's state, by name; checkpointed, restored in place, and
     * kept alive across steps (see the lifetimes above).
     */
    default Map<String, NDArray> state() {
        return Map.of();
    }
}
