package cambench.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The frozen parameter values of one objective: defaults merged with overrides, unknown keys
 * rejected, required keys checked. Values are kept as text and parsed on access, so a run record
 * holds exactly what the user gave.
 *
 * <p>Accessors check the value and throw a {@link UserException} naming {@code objective.key}
 * (e.g. {@code parameter 'cam.alpha' must be >= 0.0, got -1.0}); an objective's factory calls them
 * once, so a bad value fails before training starts.
 */
public final class Params {
    private final String owner;
    private final Map<String, String> values;

    private Params(String owner, Map<String, String> values) {
        this.owner = owner;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * Merges {@code overrides} into the defaults of {@code specs}.
     *
     * @param owner objective name, for messages
     * @throws UserException for an unknown key (listing the known ones) or a missing required one
     */
    public static Params resolve(String owner, List<ParamSpec> specs, Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>();
        for (ParamSpec s : specs) {
            if (s.defaultValue() != null) {
                merged.put(s.name(), s.defaultValue());
            }
        }
        rejectUnknown(owner, specs, overrides);
        merged.putAll(overrides);
        for (ParamSpec s : specs) {
            if (!merged.containsKey(s.name())) {
                throw new UserException("parameter '" + owner + "." + s.name() + "' is required (no default): "
                        + s.description());
            }
        }
        return new Params(owner, merged);
    }

    /**
     * Takes values that {@link #resolve} produced earlier (e.g. stored in a plan cell) as they are:
     * no default is added.
     *
     * @param owner objective name, for messages
     * @throws UserException for an unknown key or a declared one that is missing
     */
    public static Params resolved(String owner, List<ParamSpec> specs, Map<String, String> values) {
        rejectUnknown(owner, specs, values);
        for (ParamSpec s : specs) {
            if (!values.containsKey(s.name())) {
                throw new UserException("parameter '" + owner + "." + s.name() + "' is missing from the resolved"
                        + " values " + new TreeMap<>(values) + "; make the plan again with this version");
            }
        }
        return new Params(owner, values);
    }

    private static void rejectUnknown(String owner, List<ParamSpec> specs, Map<String, String> values) {
        for (String key : values.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(key))) {
                throw new UserException("unknown parameter '" + owner + "." + key + "'; " + owner
                        + " accepts: " + names(specs));
            }
        }
    }

    private static String names(List<ParamSpec> specs) {
        if (specs.isEmpty()) {
            return "no parameters";
        }
        StringBuilder b = new StringBuilder();
        for (ParamSpec s : specs) {
            b.append(b.length() == 0 ? "" : ", ").append(s.name());
        }
        return b.toString();
    }

    /** The objective these values belong to. */
    public String owner() {
        return owner;
    }

    /** All values as text, sorted by key (what goes into a run record). */
    public Map<String, String> asMap() {
        return values;
    }

    /** The raw text of a parameter. */
    public String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(owner + " has no parameter " + key);
        }
        return v;
    }

    /** A finite number. */
    public double number(String key) {
        String v = string(key);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UserException("parameter '" + owner + "." + key + "' must be a number, got '" + v + "'");
        }
    }

    /** A number that must be >= {@code min}. */
    public double atLeast(String key, double min) {
        double d = number(key);
        if (d < min) {
            throw new UserException("parameter '" + owner + "." + key + "' must be >= " + min + ", got " + d);
        }
        return d;
    }

    /** A number that must be > {@code bound} (e.g. a temperature). */
    public double above(String key, double bound) {
        double d = number(key);
        if (!(d > bound)) {
            throw new UserException("parameter '" + owner + "." + key + "' must be > " + bound + ", got " + d);
        }
        return d;
    }

    /** A probability: a number >= 0 and at most 1. */
    public double probability(String key) {
        double d = atLeast(key, 0);
        if (d > 1) {
            throw invalid(key, "a probability in [0, 1]");
        }
        return d;
    }

    /**
     * The error for a value of {@code key} that breaks {@code rule}, e.g.
     * {@code invalid("k", "a whole number >= 0 or 'auto'")}; for checks the accessors do not cover.
     */
    public UserException invalid(String key, String rule) {
        return new UserException("parameter '" + owner + "." + key + "' must be " + rule + ", got '" + string(key)
                + "'");
    }

    /** A whole number >= {@code min}. */
    public int integer(String key, int min) {
        double d = number(key);
        if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
            throw new UserException("parameter '" + owner + "." + key + "' must be a whole number >= " + min
                    + ", got " + string(key));
        }
        return (int) d;
    }

    /** {@code true} or {@code false}. */
    public boolean flag(String key) {
        String v = string(key).toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new UserException("parameter '" + owner + "." + key + "' must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }
}
