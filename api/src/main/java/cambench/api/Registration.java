package cambench.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules every plugin registration (objective, regularizer) follows, checked once when it loads. */
final class Registration {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private Registration() {
    }

    /**
     * Checks a registration: the name is a lower-case letter followed by lower-case letters, digits
     * or {@code _} (no dots: {@code name.param} keys must split unambiguously), the description is
     * not blank, and parameter names are unique, not blank and without dots.
     *
     * @param provider the registering class, for messages
     * @param what {@code objective} or {@code regularizer}, for messages
     * @throws IllegalArgumentException naming the class and the broken rule
     */
    static void check(Class<?> provider, String what, String name, String description, List<ParamSpec> parameters) {
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
}
