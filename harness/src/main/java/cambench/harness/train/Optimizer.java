package cambench.harness.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.results.record.Recipe;

import java.util.Map;

/** A first-order optimizer over a network's parameters; its state is checkpointed by name. */
public interface Optimizer {

    /** Applies one update from the gradients of the last backward pass, then zeroes them. */
    void step(double lr, NDManager scratch);

    /** Zeroes the gradients of the last backward pass without an update (a skipped step). */
    void discardGradients();

    /** State arrays (momentum, moments) by name. */
    Map<String, NDArray> state();

    /** The optimizer a recipe names ({@code sgd} or {@code adam}). */
    static Optimizer of(Recipe recipe, Map<String, NDArray> parameters, NDManager manager) {
        if (recipe.optimizer().equals("adam")) {
            return new Adam(parameters, manager, recipe.weightDecay());
        }
        return new Sgd(parameters, manager, recipe.momentum(), recipe.nesterov(), recipe.weightDecay());
    }
}
