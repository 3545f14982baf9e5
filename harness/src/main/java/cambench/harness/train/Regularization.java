package cambench.harness.train;

import cambench.api.Regularizer;
import cambench.api.RegularizerProvider;
import cambench.api.Regularizers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One regularizer of a run with its registry name and kind.
 *
 * @param name registry name, e.g. {@code cutmix}
 * @param kind what it acts on
 * @param regularizer the created regularizer
 */
public record Regularization(String name, RegularizerProvider.Kind kind, Regularizer regularizer) {

    /**
     * Creates the listed regularizers from resolved {@code name.param -> value} values.
     *
     * @throws cambench.api.UserException for an unknown name, bad values or a combination the
     *     trainer cannot run
     */
    public static List<Regularization> create(Regularizers registry, List<String> names, Map<String, String> values) {
        List<Regularizer> made = registry.create(names, values);
        List<Regularization> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new Regularization(names.get(i), registry.provider(names.get(i)).kind(), made.get(i)));
        }
        return out;
    }
}
