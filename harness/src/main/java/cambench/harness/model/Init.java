package cambench.harness.model;

import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A parameter initialiser that draws values in Java, so initial weights do not depend on the
 * engine or device.
 *
 * <p>Conventions follow PyTorch/torchvision: convolutions use Kaiming normal with fan-out and
 * ReLU gain ({@code std = sqrt(2 / (out * kh * kw))}); linear layers use PyTorch's default
 * {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} for weight and bias; BatchNorm uses gamma 1, beta 0.
 */
@FunctionalInterface
public interface Init {

    /** Fills an array of {@code shape.size()} values. */
    float[] values(Shape shape, SplittableRandom random);

    /** A constant. */
    static Init constant(float value) {
        return (shape, random) -> {
            float[] v = new float[Math.toIntExact(shape.size())];
            Arrays.fill(v, value);
            return v;
        };
    }

    /** Normal(0, std^2), drawn with the Box-Muller transform. */
    static Init normal(double std) {
        return (shape, random) -> {
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i += 2) {
                double u1 = 1.0 - random.nextDouble();
                double u2 = random.nextDouble();
                double r = Math.sqrt(-2.0 * Math.log(u1)) * std;
                v[i] = (float) (r * Math.cos(2 * Math.PI * u2));
                if (i + 1 < v.length) {
                    v[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
                }
            }
            return v;
        };
    }

    /** Uniform(-bound, bound). */
    static Init uniform(double bound) {
        return (shape, random) -> {
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            return v;
        };
    }

    /** Kaiming normal, fan-out mode, ReLU gain, for a conv weight [out, in/groups, kh, kw]. */
    static Init kaimingFanOut() {
        return (shape, random) -> {
            long fanOut = shape.get(0) * shape.get(2) * shape.get(3);
            return normal(Math.sqrt(2.0 / fanOut)).values(shape, random);
        };
    }

    /** PyTorch's default for linear layers: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    static Init linearDefault(long fanIn) {
        return uniform(1.0 / Math.sqrt(fanIn));
    }
}
