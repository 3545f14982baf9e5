package cambench.baselines.reg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.api.LabelMix;
import cambench.api.MixedBatch;
import cambench.api.ParamSpec;
import cambench.api.Regularizer;
import cambench.api.RegularizerProvider;
import cambench.api.RegularizerStep;

import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * CutMix (Yun et al., ICCV 2019; docs/regularizers.md): with probability {@code prob}, draws
 * {@code lambda ~ Beta(beta, beta)}, a box of side {@code sqrt(1 - lambda)} times the image's
 * centred at a uniform pixel and clipped to the image, pastes that box from a random partner of the
 * batch into every image, and sets lambda to the exact fraction of pixels each image keeps.
 */
public final class CutMix implements Regularizer {
    private final double beta;
    private final double prob;

    /** Creates it; {@code beta > 0}, {@code prob} in [0, 1]. */
    public CutMix(double beta, double prob) {
        this.beta = beta;
        this.prob = prob;
    }

    /**
     * The box of a CutMix draw, clipped to the image: rows {@code [y1, y2)}, columns {@code [x1, x2)}.
     *
     * @param lambda the drawn lambda (before clipping)
     */
    public record Box(int y1, int y2, int x1, int x2) {
        /** Number of pixels inside. */
        public int area() {
            return (y2 - y1) * (x2 - x1);
        }

        /** Draws the box for {@code lambda} on an {@code h x w} image, as the original code does. */
        public static Box draw(Random r, double lambda, int h, int w) {
            double cut = Math.sqrt(1 - lambda);
            int cutH = (int) (h * cut);
            int cutW = (int) (w * cut);
            int cy = r.nextInt(h);
            int cx = r.nextInt(w);
            return new Box(clip(cy - cutH / 2, h), clip(cy + cutH / 2, h), clip(cx - cutW / 2, w),
                    clip(cx + cutW / 2, w));
        }

        private static int clip(int v, int hi) {
            return Math.max(0, Math.min(hi, v));
        }
    }

    @Override
    public MixedBatch onBatch(NDArray images, NDArray labels, RegularizerStep step) {
        Random r = step.random();
        if (r.nextDouble() >= prob) {
            return MixedBatch.imagesOnly(images);
        }
        Shape s = images.getShape();
        int n = Math.toIntExact(s.get(0));
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        double lambda = Sampling.beta(r, beta);
        long[] order = Sampling.permutation(r, n);
        Box box = Box.draw(r, lambda, h, w);
        NDManager m = images.getManager();
        float[] mask = new float[h * w];
        for (int y = box.y1(); y < box.y2(); y++) {
            for (int x = box.x1(); x < box.x2(); x++) {
                mask[y * w + x] = 1;
            }
        }
        NDArray inside = m.create(mask, new Shape(1, 1, h, w));
        NDArray mixed = images.mul(inside.neg().add(1)).add(Sampling.gather(images, order, m).mul(inside));
        double kept = (double) (h * w - box.area()) / (h * w);   // exactly the kept fraction
        return new MixedBatch(mixed, Optional.of(new LabelMix(Sampling.gather(labels, order, m), kept)));
    }

    /** Registers {@code cutmix}. */
    public static final class Provider extends RegularizerProvider {
        /** Called by the service loader. */
        public Provider() {
            super("cutmix", Kind.LABEL_MIXING, "CutMix: paste a box of a partner image, labels mixed by box area",
                    List.of(ParamSpec.of("beta", 1.0, "lambda ~ Beta(beta, beta) (> 0)"),
                            ParamSpec.of("prob", 0.5, "probability that a batch is mixed, in [0, 1]")),
                    p -> new CutMix(p.above("beta", 0), p.probability("prob")));
        }
    }
}
