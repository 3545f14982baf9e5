package cambench.baselines.reg;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import cambench.api.LabelMix;
import cambench.api.MixedBatch;
import cambench.api.ParamSpec;
import cambench.api.Regularizer;
import cambench.api.RegularizerProvider;
import cambench.api.RegularizerStep;

import java.util.List;
import java.util.Optional;

/**
 * Mixup (Zhang et al., ICLR 2018): {@code x = lambda x + (1 - lambda) x[perm]} with
 * {@code lambda ~ Beta(alpha, alpha)} per batch and a random partner permutation; labels mixed by
 * the same lambda.
 */
public final class Mixup implements Regularizer {
    private final double alpha;

    /** Creates it; {@code alpha > 0}. */
    public Mixup(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public MixedBatch onBatch(NDArray images, NDArray labels, RegularizerStep step) {
        double lambda = Sampling.beta(step.random(), alpha);
        long[] order = Sampling.permutation(step.random(), Math.toIntExact(images.getShape().get(0)));
        NDArray partner = Sampling.gather(images, order, images.getManager());
        NDArray mixed = Scalars.times(images, (float) lambda).add(Scalars.times(partner, (float) (1 - lambda)));
        return new MixedBatch(mixed, Optional.of(new LabelMix(Sampling.gather(labels, order, images.getManager()),
                lambda)));
    }

    /** Registers {@code mixup}. */
    public static final class Provider extends RegularizerProvider {
        /** Called by the service loader. */
        public Provider() {
            super("mixup", Kind.LABEL_MIXING, "Mixup: convex combination of image pairs and of their labels",
                    List.of(ParamSpec.of("alpha", 1.0, "lambda ~ Beta(alpha, alpha) (> 0)")),
                    p -> new Mixup(p.above("alpha", 0)));
        }
    }
}
