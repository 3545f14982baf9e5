package cambench.harness.fewshot;

import cambench.harness.data.Seeds;

import java.util.SplittableRandom;

/**
 * The random choices of one episode's fine-tuning, a pure function of (seed, episode index):
 * the initial head and the support order of every epoch. Shared by the batched solver and any
 * reference implementation, so both train from the same start.
 *
 * <p>Initial weights as PyTorch's {@code nn.Linear}: W [way, D] and b [way] uniform in
 * {@code (-1/sqrt(D), 1/sqrt(D))}, W drawn row-major first, then b. The cosine head uses W as
 * its direction v (and g = |v| per row) and ignores b, so both heads start from the same W.
 */
public final class EpisodeStart {
    private static final long INIT_DOMAIN = 0x4865_6164_496E_6974L;
    private static final long ORDER_DOMAIN = 0x4F72_6465_7273_0001L;

    private final long seed;

    /** Choices derived from {@code seed}. */
    public EpisodeStart(long seed) {
        this.seed = seed;
    }

    /** The initial weight [way * dim] row-major, then the bias [way], for episode {@code index}. */
    public double[][] initialHead(int index, int way, int dim) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, index, INIT_DOMAIN));
        double bound = 1.0 / Math.sqrt(dim);
        double[] w = new double[way * dim];
        for (int i = 0; i < w.length; i++) {
            w[i] = (r.nextDouble() * 2 - 1) * bound;
        }
        double[] b = new double[way];
        for (int i = 0; i < way; i++) {
            b[i] = (r.nextDouble() * 2 - 1) * bound;
        }
        return new double[][] {w, b};
    }

    /**
     * The support order of each epoch for episode {@code index}: {@code [epochs][supportSize]},
     * each row a uniform permutation of {@code 0..supportSize-1}.
     */
    public int[][] supportOrders(int index, int epochs, int supportSize) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, index, ORDER_DOMAIN));
        int[][] out = new int[epochs][supportSize];
        for (int t = 0; t < epochs; t++) {
            int[] p = out[t];
            for (int i = 0; i < supportSize; i++) {
                p[i] = i;
            }
            Seeds.shuffle(p, r);
        }
        return out;
    }
}
