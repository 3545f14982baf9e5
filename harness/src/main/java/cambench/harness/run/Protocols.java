package cambench.harness.run;

import cambench.api.ParamSpec;
import cambench.api.UserException;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The protocol registry (ServiceLoader), by name. */
public final class Protocols {
    private final Map<String, Protocol> byName = new TreeMap<>();

    /** Loads every protocol visible to {@code loader}. */
    public Protocols(ClassLoader loader) {
        for (Protocol p : ServiceLoader.load(Protocol.class, loader)) {
            byName.putIfAbsent(p.name(), p);
        }
    }

    /** A registry of exactly {@code protocols} (tests, embedding). */
    public static Protocols of(Protocol... protocols) {
        Protocols p = new Protocols(new ClassLoader(null) { });
        for (Protocol each : protocols) {
            p.byName.put(each.name(), each);
        }
        return p;
    }

    /**
     * The protocol named {@code name}.
     *
     * @throws UserException listing the known names
     */
    public Protocol get(String name) {
        Protocol p = byName.get(name);
        if (p == null) {
            throw new UserException("unknown protocol '" + name + "'; known: " + String.join(", ", byName.keySet()));
        }
        return p;
    }

    /** Every registered protocol name, sorted. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(byName.keySet());
    }

    /** The settings protocol {@code name} declares ({@link Protocol#settings}). */
    public List<ParamSpec> settings(String name) {
        return get(name).settings();
    }
}
