package cambench.api;


import java.util.List;
import java.util.Objects;



/**
 * The registration of one loss or distiller: its name, kind, description, parameters and factory,
 * each stated once, in the constructor.
 *
 * <p>A plugin registers an objective with a public no-argument subclass named on one line of
 * {@code META-INF/services/cambench.api.ObjectiveProvider} (built-ins are found the same way):
 *
 * <pre>{@code
 * public final class FocalLoss implements Objective {
 *     ...
 *     public static final class Provider extends ObjectiveProvider {
 *         public Provider() {
 *             super("focal", Kind.LOSS, "focal loss: -(1 - p_y)^gamma log p_y",
 *                     List.of(ParamSpec.of("gamma", 2.0, "focusing parameter (>= 0)")),
 *                     context -> new FocalLoss(context.params().atLeast("gamma", 0)));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The harness asks the provider, never the objective, what it is called and whether it needs a
 * teacher. The constructor checks the registration; a bad one fails when the plugin loads.
 */
public abstract class ObjectiveProvider extends Registration<ObjectiveProvider.Kind, ObjectiveContext, Objective> {
    /**
     * Registers an objective.
     *
     * @param name registry name, e.g. {@code cam}: a lower-case letter, then lower-case letters,
     *     digits or {@code _} (no dots: {@code name.param} keys must split unambiguously)
     * @param kind {@link Kind#LOSS} or {@link Kind#DISTILLER}
     * @param description one line for {@code cambench list objectives}
     * @param parameters accepted parameters with their defaults, in display order; names unique,
     *     without dots
     * @param factory builds the objective from resolved parameters
     * @throws IllegalArgumentException when any of these breaks the rules above
     */
    protected ObjectiveProvider(String name, Kind kind, String description, List<ParamSpec> parameters,
            Factory factory) {
        super("objective", name, kind, description, parameters,
                Objects.requireNonNull(factory, "factory")::create);
    }

    /**
     * Creates the objective with the factory given at registration.
     *
     * @param context resolved parameters, task sizes and the objective's own manager
     * @throws UserException for a bad parameter value, naming it
     */
    public final Objective create(ObjectiveContext context) {
        return make(context);
    }

    /** Builds an objective from its creation context. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Creates the objective.
         *
         * @param context resolved parameters, task sizes and the objective's own manager
         * @throws UserException for a bad parameter value, naming it (see {@link Params})
         */
        Objective create(ObjectiveContext context);
    }

    /** Loss (single network) or distiller (student learning from a teacher). */
    public enum Kind {
        /** Trains one network; {@link StepOutputs#teacher()} is empty. */
        LOSS,
        /** Trains a student from a fixed teacher; {@link StepOutputs#teacher()} is always present. */
        DISTILLER;

        /** Whether a run of this kind needs a teacher network. */
        public boolean needsTeacher() {
            return this == DISTILLER;
        }
    }
}
