package cambench.baselines.reg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import cambench.api.MixedBatch;
import cambench.api.ParamSpec;
import cambench.api.Regularizer;
import cambench.api.RegularizerProvider;
import cambench.api.RegularizerStep;

import java.util.List;
import java.util.Random;

/**
 * Cutout (DeVries and Taylor, 2017): in every image, {@code holes} squares of side {@code length}
 * centred at uniform pixels, clipped to the image, are set to zero (the mean, on normalised
 * inputs); labels unchanged.
 */
public final class Cutout implements Regularizer {
    private final int holes;
    private final int length;

    /** Creates it; {@code holes >= 1}, {@code length >= 1}. */
    public Cutout(int holes, int length) {
        this.holes = holes;
        this.length = length;
    }

    /** The keep mask [N, 1, H, W] (0 inside a hole, 1 elsewhere) drawn from {@code r}. */
    float[] mask(Random r, int n, int h, int w) {
        float[] mask = new float[n * h * w];
        java.util.Arrays.fill(mask, 1);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < holes; k++) {
                int cy = r.nextInt(h);
                int cx = r.nextInt(w);
                int y1 = Math.max(0, cy - length / 2);
                int y2 = Math.min(h, cy + length / 2);
                int x1 = Math.max(0, cx - length / 2);
                int x2 = Math.min(w, cx + length / 2);
                for (int y = y1; y < y2; y++) {
                    for (int x = x1; x < x2; x++) {
                        mask[(i * h + y) * w + x] = 0;
                    }
                }
            }
        }
        return mask;
    }

    @Override
    public MixedBatch onBatch(NDArray images, NDArray labels, RegularizerStep step) {
        Shape s = images.getShape();
        int n = Math.toIntExact(s.get(0));
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        NDArray keep = images.getManager().create(mask(step.random(), n, h, w), new Shape(n, 1, h, w));
        return MixedBatch.imagesOnly(images.mul(keep));
    }

    /** Registers {@code cutout}. */
    public static final class Provider extends RegularizerProvider {
        /** Called by the service loader. */
        public Provider() {
            super("cutout", Kind.BATCH, "Cutout: zero random squares of every training image",
                    List.of(ParamSpec.of("holes", 1, "squares per image (>= 1)"),
                            ParamSpec.of("length", 16, "side of a square in pixels (>= 1; 16 on CIFAR)")),
                    p -> new Cutout(p.integer("holes", 1), p.integer("length", 1)));
        }
    }
}
