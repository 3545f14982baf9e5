package cambench.harness.data;

import java.util.SplittableRandom;

/**
 * Derives independent 64-bit seeds from tuples such as (seed, epoch, position) or (seed, episode,
 * domain), and shuffles with them; pure functions, the one source of derived randomness for data
 * loading, glyph rendering and few-shot episodes.
 */
public final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A well-mixed seed for the tuple (a, b, c); different tuples give unrelated seeds. */
    public static long mix(long a, long b, long c) {
        return mix64(mix64(mix64(a ^ GOLDEN_GAMMA) + b) + c);
    }

    /** Stafford's variant 13 finaliser of splitmix64, applied to x + golden ratio. */
    static long mix64(long x) {
        long z = x + GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Shuffles {@code a} in place with a Fisher-Yates pass from the last element down (each
     * position i swapped with a uniform j in 0..i) and returns it.
     */
    public static int[] shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
