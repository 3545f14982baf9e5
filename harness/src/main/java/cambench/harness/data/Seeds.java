package cambench.harness.data;

/** Derives independent 64-bit seeds from tuples such as (seed, epoch, position); pure functions. */
final class Seeds {
    private Seeds() {
    }

    /** A well-mixed seed for the tuple (a, b, c); different tuples give unrelated seeds. */
    static long mix(long a, long b, long c) {
        return mix64(mix64(mix64(a ^ 0x9E3779B97F4A7C15L) + b) + c);
    }

    /** Stafford's variant 13 finaliser of splitmix64, applied to x + golden ratio. */
    static long mix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
