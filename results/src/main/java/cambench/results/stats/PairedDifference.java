package cambench.results.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The paired difference {@code a_i - b_i} over matched units (seeds or episodes): its summary with
 * a 95% CI and the two-sided paired-t p-value.
 *
 * <p>p is NaN when n < 2; when every difference is equal (sd 0) p is 0 if the mean is non-zero,
 * else 1.
 *
 * @param diff summary of the differences
 * @param p two-sided paired t-test p-value
 */
public record PairedDifference(Summary diff, double p) {

    /**
     * Pairs {@code a} and {@code b} position by position.
     *
     * @param normal use the 1.96 normal interval (episodes) instead of Student t (seeds)
     * @throws IllegalArgumentException when the lengths differ
     */
    public static PairedDifference of(double[] a, double[] b, boolean normal) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return ofDifferences(d, normal);
    }

    /**
     * Summarises differences {@code a_i - b_i} that are already taken (e.g. a column of a joined
     * table).
     *
     * @param normal use the 1.96 normal interval (episodes) instead of Student t (seeds)
     */
    public static PairedDifference ofDifferences(double[] d, boolean normal) {
        Summary s = normal ? Summary.normal95(d) : Summary.of(d);
        return new PairedDifference(s, pValue(s));
    }

    private static double pValue(Summary s) {
        if (s.n() < 2) {
            return Double.NaN;
        }
        if (s.sd() == 0) {
            return s.mean() == 0 ? 1.0 : 0.0;
        }
        double t = s.mean() / (s.sd() / Math.sqrt(s.n()));
        return 2 * new TDistribution(null, s.n() - 1).cumulativeProbability(-Math.abs(t));
    }
}
