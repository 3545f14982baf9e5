package cambench.baselines.reg;

import cambench.api.HiddenMix;
import cambench.api.ParamSpec;
import cambench.api.Regularizer;
import cambench.api.RegularizerProvider;
import cambench.api.RegularizerStep;

import java.util.List;
import java.util.Optional;

/**
 * Manifold Mixup (Verma et al., ICML 2019): in each training step, one stage boundary k is drawn
 * uniformly from 0 (the input images) to {@code max_boundary} (the output of that stage, capped
 * at the network's last stage), and the state there is mixed with a random partner permutation,
 * {@code h = lambda h + (1 - lambda) h[perm]}, {@code lambda ~ Beta(alpha, alpha)} per batch; the
 * labels are mixed with the same lambda. k = 0 is plain Mixup.
 */
public final class ManifoldMixup implements Regularizer {
    private final double alpha;
    private final int maxBoundary;

    /** Creates it; {@code alpha > 0}, {@code maxBoundary >= 0}. */
    public ManifoldMixup(double alpha, int maxBoundary) {
        this.alpha = alpha;
        this.maxBoundary = maxBoundary;
    }

    @Override
    public Optional<HiddenMix> hiddenMix(int stages, int batchSize, RegularizerStep step) {
        int boundary = step.random().nextInt(Math.min(maxBoundary, stages) + 1);
        double lambda = Sampling.beta(step.random(), alpha);
        return Optional.of(new HiddenMix(boundary, Sampling.permutation(step.random(), batchSize), lambda));
    }

    /** Registers {@code manifold_mixup}. */
    public static final class Provider extends RegularizerProvider {
        /** Called by the service loader. */
        public Provider() {
            super("manifold_mixup", Kind.LABEL_MIXING,
                    "Manifold Mixup: mix images or the output of a random stage, and the labels",
                    List.of(ParamSpec.of("alpha", 2.0, "lambda ~ Beta(alpha, alpha) (> 0)"),
                            ParamSpec.of("max_boundary", 2, "deepest boundary mixed: 0 = the images,"
                                    + " s = after stage s (capped at the last stage)")),
                    p -> new ManifoldMixup(p.above("alpha", 0), p.integer("max_boundary", 0)));
        }
    }
}
