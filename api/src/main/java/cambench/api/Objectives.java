package cambench.api;

import cambench.api.UserException;

import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The objective registry: every {@link ObjectiveProvider} visible to a class loader, by name.
 * Built-ins and plugins are found the same way; nothing here names a loss.
 */
public final class Objectives {
    private final Map<String, ObjectiveProvider> providers;

    private Objectives(Map<String, ObjectiveProvider> providers) {
        this.providers = providers;
    }

    /**
     * Loads every provider visible to {@code loader}.
     *
     * @throws UserException when a provider fails to load (naming it) or two share a name
     */
    public static Objectives load(ClassLoader loader) {
        Map<String, ObjectiveProvider> found = new TreeMap<>();
        ServiceLoader<ObjectiveProvider> services = ServiceLoader.load(ObjectiveProvider.class, loader);
        try {
            for (ObjectiveProvider p : services) {
                ObjectiveProvider old = found.putIfAbsent(p.name(), p);
                if (old != null && old.getClass() != p.getClass()) {
                    throw new UserException("two objectives are named '" + p.name() + "': "
                            + old.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new UserException("cannot load an objective plugin: " + e.getMessage(), e);
        }
        return new Objectives(found);
    }

    /** Loads the providers visible to this class's loader (built-ins only). */
    public static Objectives builtIn() {
        return load(Objectives.class.getClassLoader());
    }

    /** Providers by name, sorted. */
    public Map<String, ObjectiveProvider> all() {
        return java.util.Collections.unmodifiableMap(providers);
    }

    /**
     * The provider named {@code name}.
     *
     * @throws UserException listing the known names when there is none
     */
    public ObjectiveProvider provider(String name) {
        ObjectiveProvider p = providers.get(name);
        if (p == null) {
            throw new UserException("unknown objective '" + name + "'; known: " + String.join(", ", providers.keySet()));
        }
        return p;
    }

    /** Resolves parameters (defaults + overrides) and creates the objective. */
    public Objective create(String name, Map<String, String> overrides, int classes, int featureChannels,
            ai.djl.ndarray.NDManager manager) {
        ObjectiveProvider p = provider(name);
        Params params = Params.resolve(name, p.parameters(), overrides);
        return p.create(new ObjectiveContext(params, classes, featureChannels, manager));
    }
}
