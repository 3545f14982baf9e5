package cambench.api;

import ai.djl.ndarray.NDManager;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The objective registry: every {@link ObjectiveProvider} visible to a class loader, by name.
 * Built-ins and plugins are found the same way; nothing here names a loss.
 *
 * <p>Parameters go through two stages: {@link #resolve} merges overrides into the defaults once
 * (when a plan or a one-off run is made), and {@link #create} builds the objective from that
 * {@link Params}. A plan cell stores the resolved values as text; {@link #resolved} turns them back
 * into {@link Params} without merging defaults again.
 */
public final class Objectives {
    private final Map<String, ObjectiveProvider> providers;
    private final ClassLoader loader;
    private Regularizers regularizers;

    private Objectives(Map<String, ObjectiveProvider> providers, ClassLoader loader) {
        this.providers = Collections.unmodifiableMap(providers);
        this.loader = loader;
    }

    /**
     * The regularizers visible to the class loader these objectives came from (the same plugins),
     * loaded on first use.
     *
     * @throws UserException when a regularizer plugin fails to load
     */
    public synchronized Regularizers regularizers() {
        if (regularizers == null) {
            regularizers = Regularizers.load(loader);
        }
        return regularizers;
    }

    /**
     * Loads every provider visible to {@code loader}.
     *
     * @throws UserException when a provider fails to load (naming it and why) or two share a name
     */
    public static Objectives load(ClassLoader loader) {
        ServiceLoader<ObjectiveProvider> services = ServiceLoader.load(ObjectiveProvider.class, loader);
        List<ObjectiveProvider> found = new java.util.ArrayList<>();
        try {
            services.forEach(found::add);
        } catch (ServiceConfigurationError e) {
            String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
            throw new UserException("cannot load an objective plugin: " + e.getMessage() + cause, e);
        }
        Objectives out = of(found);
        return new Objectives(out.providers, loader);
    }

    /** Loads the providers visible to this class's loader (built-ins only). */
    public static Objectives builtIn() {
        return load(Objectives.class.getClassLoader());
    }

    /**
     * A registry over the given providers (e.g. one written inside a test).
     *
     * @throws UserException when two providers of different classes share a name
     */
    public static Objectives of(Collection<? extends ObjectiveProvider> list) {
        Map<String, ObjectiveProvider> found = new TreeMap<>();
        for (ObjectiveProvider p : list) {
            ObjectiveProvider old = found.putIfAbsent(p.name(), p);
            if (old != null && old.getClass() != p.getClass()) {
                throw new UserException("two objectives are named '" + p.name() + "': "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return new Objectives(found, Objectives.class.getClassLoader());
    }

    /** Providers by name, sorted (read-only). */
    public Map<String, ObjectiveProvider> all() {
        return providers;
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

    /**
     * Merges {@code overrides} into the defaults of objective {@code name}: the one place where
     * defaults are filled in.
     *
     * @param overrides parameter name (without {@code name.}) to value
     * @throws UserException for an unknown objective or parameter, or a missing required one
     */
    public Params resolve(String name, Map<String, String> overrides) {
        return Params.resolve(name, provider(name).parameters(), overrides);
    }

    /**
     * The parameters of objective {@code name} from values {@link #resolve} produced earlier (a plan
     * cell's {@code params}): taken as they are, no default added.
     *
     * @throws UserException when the values do not name exactly the declared parameters (e.g. a
     *     plan written by another version)
     */
    public Params resolved(String name, Map<String, String> values) {
        return Params.resolved(name, provider(name).parameters(), values);
    }

    /**
     * Creates objective {@code name} with its own manager under {@code parent}; the caller closes
     * the returned instance (or {@code parent}) when the run ends.
     *
     * @param params resolved parameters of this objective ({@link #resolve} or {@link #resolved})
     * @param classes number of classes K
     * @param featureChannels channels C of the feature map
     * @param parent the manager (of the network) under which the objective's manager is made
     * @throws UserException for an unknown objective or a bad parameter value
     */
    public ObjectiveInstance create(String name, Params params, int classes, int featureChannels,
            NDManager parent) {
        ObjectiveProvider p = provider(name);
        if (!params.owner().equals(name)) {
            throw new IllegalArgumentException("parameters of '" + params.owner() + "' given to objective '" + name
                    + "'");
        }
        return new ObjectiveInstance(p, params, classes, featureChannels, parent);
    }
}
