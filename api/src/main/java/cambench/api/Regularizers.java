package cambench.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The regularizer registry: every {@link RegularizerProvider} visible to a class loader, by name
 * (built-ins and plugins alike). Parameters are resolved and stored as with {@link Objectives}.
 */
public final class Regularizers {
    private final Map<String, RegularizerProvider> providers;

    private Regularizers(Map<String, RegularizerProvider> providers) {
        this.providers = Collections.unmodifiableMap(providers);
    }

    /**
     * Loads every provider visible to {@code loader}.
     *
     * @throws UserException when a provider fails to load or two share a name
     */
    public static Regularizers load(ClassLoader loader) {
        List<RegularizerProvider> found = new ArrayList<>();
        try {
            ServiceLoader.load(RegularizerProvider.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
            throw new UserException("cannot load a regularizer plugin: " + e.getMessage() + cause, e);
        }
        return of(found);
    }

    /** The providers visible to this class's loader (built-ins only). */
    public static Regularizers builtIn() {
        return load(Regularizers.class.getClassLoader());
    }

    /**
     * A registry over the given providers.
     *
     * @throws UserException when two providers of different classes share a name
     */
    public static Regularizers of(Collection<? extends RegularizerProvider> list) {
        Map<String, RegularizerProvider> found = new TreeMap<>();
        for (RegularizerProvider p : list) {
            RegularizerProvider old = found.putIfAbsent(p.name(), p);
            if (old != null && old.getClass() != p.getClass()) {
                throw new UserException("two regularizers are named '" + p.name() + "': "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return new Regularizers(found);
    }

    /** Providers by name, sorted (read-only). */
    public Map<String, RegularizerProvider> all() {
        return providers;
    }

    /**
     * The provider named {@code name}.
     *
     * @throws UserException listing the known names when there is none
     */
    public RegularizerProvider provider(String name) {
        RegularizerProvider p = providers.get(name);
        if (p == null) {
            throw new UserException("unknown regularizer '" + name + "'; known: "
                    + String.join(", ", providers.keySet()));
        }
        return p;
    }

    /**
     * Resolves the parameters of a list of regularizers: {@code name.param -> value} overrides
     * (keys of other owners are ignored) merged into each one's defaults.
     *
     * @return {@code name.param -> value} for every parameter of every listed regularizer, sorted
     * @throws UserException for an unknown regularizer or parameter, a repeated name, or a
     *     combination the trainer cannot run (two label-mixing or two network-level ones)
     */
    public Map<String, String> resolve(List<String> names, Map<String, String> overrides) {
        checkCombination(names);
        Map<String, String> out = new TreeMap<>();
        for (String name : names) {
            Map<String, String> own = new LinkedHashMap<>();
            String prefix = name + ".";
            overrides.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    own.put(k.substring(prefix.length()), v);
                }
            });
            Params.resolve(name, provider(name).parameters(), own).asMap().forEach((k, v) -> out.put(prefix + k, v));
        }
        return out;
    }

    /**
     * Creates the listed regularizers from resolved {@code name.param -> value} values (a cell's).
     *
     * @throws UserException for an unknown name or values that do not match the parameters
     */
    public List<Regularizer> create(List<String> names, Map<String, String> resolved) {
        checkCombination(names);
        List<Regularizer> out = new ArrayList<>();
        for (String name : names) {
            Map<String, String> own = new LinkedHashMap<>();
            String prefix = name + ".";
            resolved.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    own.put(k.substring(prefix.length()), v);
                }
            });
            out.add(provider(name).create(Params.resolved(name, provider(name).parameters(), own)));
        }
        return out;
    }

    private void checkCombination(List<String> names) {
        if (names.size() != new java.util.HashSet<>(names).size()) {
            throw new UserException("regularizers " + names + ": a name is repeated");
        }
        for (RegularizerProvider.Kind kind : List.of(RegularizerProvider.Kind.LABEL_MIXING,
                RegularizerProvider.Kind.NETWORK)) {
            List<String> same = names.stream().filter(n -> provider(n).kind() == kind).toList();
            if (same.size() > 1) {
                throw new UserException("regularizers " + String.join(" and ", same) + " are both "
                        + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + "; combine at most one of each kind");
            }
        }
    }
}
