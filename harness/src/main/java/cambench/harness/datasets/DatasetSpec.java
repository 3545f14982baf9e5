package cambench.harness.datasets;

import cambench.api.UserException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A data set spec {@code name[:key=value,...]}, e.g. {@code fashion-mnist:train=6000,test=1000}
 * or {@code glyphs:classes=20,train=50,test=20,size=32}.
 *
 * @param name data set name
 * @param options options by key, in order
 */
public record DatasetSpec(String name, Map<String, String> options) {

    /**
     * Parses a spec.
     *
     * @throws UserException when it is malformed
     */
    public static DatasetSpec parse(String spec) {
        String[] parts = spec.split(":", 2);
        Map<String, String> options = new LinkedHashMap<>();
        if (parts.length == 2 && !parts[1].isEmpty()) {
            for (String kv : parts[1].split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2 || p[0].isBlank()) {
                    throw new UserException("data set '" + spec + "': expected name:key=value,..., got '" + kv + "'");
                }
                options.put(p[0].trim(), p[1].trim());
            }
        }
        return new DatasetSpec(parts[0].trim(), Collections.unmodifiableMap(options));
    }

    /** Fails on an option not in {@code allowed}. */
    public void allowOnly(Set<String> allowed) {
        for (String k : options.keySet()) {
            if (!allowed.contains(k)) {
                throw new UserException("data set '" + name + "': unknown option '" + k + "'; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    /** A whole-number option >= min, or {@code fallback}. */
    public int integer(String key, int fallback, int min) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new UserException("data set '" + name + "': option " + key + " must be a whole number >= " + min
                    + ", got '" + v + "'");
        }
    }
}
