package cambench.harness.fewshot;

/**
 * The classifier that is trained on a frozen backbone's features, at base-class training time
 * (its CAM weight) and per episode at test time (CloserLook's Baseline and Baseline++).
 *
 * <ul>
 *   <li>{@link #LINEAR} (Baseline): {@code s = W z + b}, W [K, D], b [K].</li>
 *   <li>{@link #COSINE} (Baseline++): a weight-normalised linear layer without bias on
 *       L2-normalised features, {@code s_k = scale * g_k <v_k / |v_k|, z / (|z| + 1e-5)>}, with
 *       learnable per-class norm g [K] and direction v [K, D] ({@code g} starts at {@code |v|});
 *       {@code scale} is {@link #cosineScale}.</li>
 * </ul>
 */
public enum FineTuneHead {
    /** Baseline: a linear layer with bias. */
    LINEAR("baseline"),
    /** Baseline++: the cosine (weight-normalised, feature-normalised) classifier. */
    COSINE("baseline++");

    /** Added to feature norms before dividing, as in CloserLook's distLinear. */
    public static final double FEATURE_EPS = 1e-5;

    private final String method;

    FineTuneHead(String method) {
        this.method = method;
    }

    /** The few-shot method this head defines: {@code baseline} or {@code baseline++}. */
    public String method() {
        return method;
    }

    /**
     * The cosine head's scale factor: 2 for at most 200 classes, 10 above (CloserLook; these few
     * classes make a low-temperature softmax train poorly).
     */
    public static double cosineScale(int classes) {
        return classes <= 200 ? 2.0 : 10.0;
    }
}
