package cambench.api;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What every plugin registration (objective, regularizer) states once, in its constructor: a name,
 * a kind, a one-line description, the parameters with their defaults and a factory. The rules are
 * checked when the plugin loads: the name is a lower-case letter followed by lower-case letters,
 * digits or {@code _} (no dots: {@code name.param} keys must split unambiguously), the description
 * is not blank, and parameter names are unique, not blank and without dots.
 *
 * @param <K> the kind enum of the plugin type
 * @param <A> what the factory is given
 * @param <T> what the factory makes
 */
public abstract class Registration<K extends Enum<K>, A, T> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private final String what;
    private final String name;
    private final K kind;
    private final String description;
    private final List<ParamSpec> parameters;
    private final Function<A, T> factory;

    /**
     * Checks and keeps a registration.
     *
     * @param what the plugin type, for messages ({@code objective}, {@code regularizer})
     * @throws IllegalArgumentException when the name, description or parameters break the rules above
     */
    Registration(String what, String name, K kind, String description, List<ParamSpec> parameters,
            Function<A, T> factory) {
        check(getClass(), what, name, description, parameters);
        this.what = what;
        this.name = name;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.description = description;
        this.parameters = List.copyOf(parameters);
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    private static void check(Class<?> provider, String what, String name, String description,
            List<ParamSpec> parameters) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(provider.getName() + ": " + what + " name '" + name
                    + "' must be a lower-case letter followed by lower-case letters, digits or '_'");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException(provider.getName() + ": " + what + " '" + name + "' needs a description");
        }
        Set<String> seen = new HashSet<>();
        for (ParamSpec p : parameters) {
            if (p.name() == null || p.name().isBlank() || p.name().contains(".") || !seen.add(p.name())) {
                throw new IllegalArgumentException(provider.getName() + ": " + what + " '" + name
                        + "' has a blank, dotted or repeated parameter name '" + p.name() + "'");
            }
        }
    }

    /** The registry name, e.g. {@code cam} or {@code cutmix}. */
    public final String name() {
        return name;
    }

    /** What it is. */
    public final K kind() {
        return kind;
    }

    /** One line for {@code cambench list}. */
    public final String description() {
        return description;
    }

    /** Accepted parameters with their defaults (read-only). */
    public final List<ParamSpec> parameters() {
        return parameters;
    }

    /** Runs the factory; a factory that returns nothing is a bug of the plugin. */
    final T make(A argument) {
        T made = factory.apply(argument);
        if (made == null) {
            throw new IllegalStateException(getClass().getName() + " created no " + what + " for '" + name + "'");
        }
        return made;
    }

    @Override
    public String toString() {
        return name + " (" + kind.name().toLowerCase(Locale.ROOT) + ", " + getClass().getName() + ")";
    }
}
