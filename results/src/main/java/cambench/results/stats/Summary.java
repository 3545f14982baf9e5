package cambench.results.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * An immutable summary of repeated measurements (e.g. error % over seeds): n, mean, sample
 * standard deviation and a two-sided 95% Student-t confidence interval of the mean.
 *
 * <p>With n = 1 the sd and the interval are NaN (no spread can be estimated); with n = 0 every
 * value is NaN.
 *
 * @param n number of values
 * @param mean arithmetic mean
 * @param sd sample standard deviation (n - 1 denominator)
 * @param ciLow lower end of the 95% CI
 * @param ciHigh upper end of the 95% CI
 */
public record Summary(int n, double mean, double sd, double ciLow, double ciHigh) {

    /** Summarises {@code values} with a Student-t 95% interval. */
    public static Summary of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double half = tQuantile(n - 1) * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, mean - half, mean + half);
    }

    /**
     * Summarises with the few-shot convention: mean +- 1.96 sd / sqrt(n) (normal approximation),
     * for many episodes.
     */
    public static Summary normal95(double[] values) {
        Summary s = of(values);
        if (s.n() < 2) {
            return s;
        }
        double half = 1.959963984540054 * s.sd() / Math.sqrt(s.n());
        return new Summary(s.n(), s.mean(), s.sd(), s.mean() - half, s.mean() + half);
    }

    /** Half the width of the interval (the "+-" value); NaN when n < 2. */
    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }

    /** Whether the interval excludes 0 (false when there is no interval). */
    public boolean excludesZero() {
        return ciLow > 0 || ciHigh < 0;
    }

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom. */
    static double tQuantile(int df) {
        return new TDistribution(null, df).inverseCumulativeProbability(0.975);
    }
}
