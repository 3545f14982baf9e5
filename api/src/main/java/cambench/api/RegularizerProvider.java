package cambench.api;


import java.util.List;
import java.util.Objects;



/**
 * The registration of one regularizer: its name, kind, description, parameters and factory,
 * each stated once, in the constructor. A plugin registers one with a public no-argument subclass
 * named on a line of {@code META-INF/services/cambench.api.RegularizerProvider}, as objectives are
 * registered ({@link ObjectiveProvider}).
 */
public abstract class RegularizerProvider extends Registration<RegularizerProvider.Kind, Params, Regularizer> {
    /**
     * Registers a regularizer.
     *
     * @param name registry name, e.g. {@code cutmix} (lower-case letter, then lower-case letters,
     *     digits or {@code _})
     * @param kind what it acts on
     * @param description one line for {@code cambench list regularizers}
     * @param parameters accepted parameters with their defaults; names unique, without dots
     * @param factory builds the regularizer from resolved parameters
     * @throws IllegalArgumentException when any of these breaks the rules above
     */
    protected RegularizerProvider(String name, Kind kind, String description, List<ParamSpec> parameters,
            Factory factory) {
        super("regularizer", name, kind, description, parameters,
                Objects.requireNonNull(factory, "factory")::create);
    }

    /**
     * Creates the regularizer.
     *
     * @throws UserException for a bad parameter value, naming it
     */
    public final Regularizer create(Params params) {
        return make(params);
    }

    /** Builds a regularizer from resolved parameters. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Creates the regularizer.
         *
         * @throws UserException for a bad parameter value, naming it (see {@link Params})
         */
        Regularizer create(Params params);
    }

    /** What a regularizer acts on. */
    public enum Kind {
        /** The training images only ({@link Regularizer#onBatch}), labels as they are (Cutout). */
        BATCH,
        /**
         * The labels and the training images ({@link LabelMix}; CutMix, Mixup) or a hidden state
         * ({@link Regularizer#hiddenMix}; Manifold Mixup).
         */
        LABEL_MIXING,
        /** The residual branches of the network ({@link Regularizer#residualGate}; ShakeDrop). */
        NETWORK
    }
}
