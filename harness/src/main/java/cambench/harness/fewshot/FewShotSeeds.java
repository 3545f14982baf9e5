package cambench.harness.fewshot;

/** Derives independent seeds from (seed, index, domain) tuples; pure functions (splitmix64). */
final class FewShotSeeds {
    private FewShotSeeds() {
    }

    /** A well-mixed seed for (a, b, c); different tuples give unrelated seeds. */
    static long mix(long a, long b, long c) {
        return mix64(mix64(mix64(a ^ 0x9E3779B97F4A7C15L) + b) + c);
    }

    private static long mix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
