package cambench.api;

import ai.djl.ndarray.NDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named scalar loss terms of one step, in insertion order; the objective is their sum. */
public final class LossTerms {
    private final Map<String, NDArray> terms = new LinkedHashMap<>();

    /** Starts with one term. */
    public static LossTerms of(String name, NDArray value) {
        return new LossTerms().add(name, value);
    }

    /** Adds a term (a scalar NDArray); names must be unique. */
    public LossTerms add(String name, NDArray value) {
        if (terms.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("duplicate loss term " + name);
        }
        return this;
    }

    /** The terms by name (read-only). */
    public Map<String, NDArray> asMap() {
        return Collections.unmodifiableMap(terms);
    }

    /** The sum of all terms (the value that is differentiated). */
    public NDArray total() {
        NDArray sum = null;
        for (NDArray t : terms.values()) {
            sum = sum == null ? t : sum.add(t);
        }
        if (sum == null) {
            throw new IllegalStateException("an objective returned no loss terms");
        }
        return sum;
    }
}
