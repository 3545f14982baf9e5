package cambench.api;

import java.util.List;

/**
 * The service a loss or distiller registers (one line in
 * {@code META-INF/services/cambench.api.ObjectiveProvider}); built-ins and user plugins
 * are found the same way.
 */
public interface ObjectiveProvider {

    /** The registry name, e.g. {@code cam}: lower case, no dots. */
    String name();

    /** Whether it needs a teacher. */
    default Kind kind() {
        return Kind.LOSS;
    }

    /** One line for {@code cambench list objectives}. */
    String description();

    /** Accepted parameters with their defaults (docs/losses.md). */
    List<ParamSpec> parameters();

    /**
     * Creates the objective.
     *
     * @throws cambench.api.UserException for a bad parameter value, naming it
     */
    Objective create(ObjectiveContext context);

    /** Loss (single network) or distiller (student learning from a teacher). */
    enum Kind {
        /** Trains one network. */
        LOSS,
        /** Trains a student from a fixed teacher. */
        DISTILLER
    }
}
