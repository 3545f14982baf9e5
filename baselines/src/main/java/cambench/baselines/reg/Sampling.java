package cambench.baselines.reg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import java.util.Random;

/** Random draws shared by the batch-level regularizers (Beta, permutations, gathering). */
final class Sampling {
    private Sampling() {
    }

    /** A draw of Beta(a, a), a > 0, as X / (X + Y) with X, Y ~ Gamma(a, 1). */
    static double beta(Random r, double a) {
        double x = gamma(r, a);
        double y = gamma(r, a);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang's squeeze method (shape < 1 boosted by U^(1/shape)). */
    static double gamma(Random r, double shape) {
        if (shape < 1) {
            return gamma(r, shape + 1) * Math.pow(r.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = r.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = r.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /**
     * The drop probability of 0-based residual unit {@code unit} of {@code units} when it rises
     * linearly with depth to {@code lastDrop} at the deepest unit: {@code lastDrop (unit + 1) / units}
     * (ShakeDrop, stochastic depth).
     */
    static double linearDrop(double lastDrop, int unit, int units) {
        return lastDrop * (unit + 1) / units;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    static long[] permutation(Random r, int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Rows {@code order} of {@code a} along axis 0. */
    static NDArray gather(NDArray a, long[] order, NDManager m) {
        return a.get(new NDIndex("{}", m.create(order)));
    }
}
