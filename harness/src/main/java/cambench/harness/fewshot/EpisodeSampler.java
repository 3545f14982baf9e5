package cambench.harness.fewshot;

import cambench.api.UserException;
import cambench.harness.data.Seeds;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples N-way K-shot Q-query episodes from the classes of one split (base, val or novel).
 *
 * <p>Episode {@code e} draws {@code way} distinct classes uniformly without replacement, then
 * for each class {@code shot + query} distinct images uniformly without replacement: the first
 * {@code shot} are its support, the rest its query (so support and query are disjoint). Every
 * draw comes from a {@link SplittableRandom} seeded with {@code (seed, e)} only, so an episode
 * does not depend on which other episodes are sampled, and every method evaluated with the same
 * seed sees the same episodes (paired comparisons). Immutable and thread-safe.
 */
public final class EpisodeSampler {
    private static final long DOMAIN = 0x45_7069_736F_6465L;

    private final int[][] imagesByClass;
    private final int way;
    private final int shot;
    private final int query;
    private final long seed;

    /**
     * Creates a sampler.
     *
     * @param imagesByClass image indices of each class, e.g. {@code ImageSet.indicesByClass()}
     * @param classNames class names (for the error message), same order
     * @param way classes per episode (>= 2)
     * @param shot support images per class (>= 1)
     * @param query query images per class (>= 1)
     * @param seed episode seed
     * @throws UserException when there are fewer than {@code way} classes or a class has fewer than
     *     {@code shot + query} images (naming the first such class)
     */
    public EpisodeSampler(int[][] imagesByClass, List<String> classNames, int way, int shot, int query, long seed) {
        if (way < 2 || shot < 1 || query < 1) {
            throw new UserException("few-shot: way must be >= 2, shot and query >= 1, got way=" + way + " shot="
                    + shot + " query=" + query);
        }
        if (imagesByClass.length < way) {
            throw new UserException("few-shot: " + way + "-way episodes need at least " + way + " classes, the split has "
                    + imagesByClass.length);
        }
        for (int c = 0; c < imagesByClass.length; c++) {
            if (imagesByClass[c].length < shot + query) {
                throw new UserException("few-shot: class '" + classNames.get(c) + "' has " + imagesByClass[c].length
                        + " images; " + shot + "-shot " + query + "-query episodes need " + (shot + query));
            }
        }
        this.imagesByClass = new int[imagesByClass.length][];
        for (int c = 0; c < imagesByClass.length; c++) {
            this.imagesByClass[c] = imagesByClass[c].clone();
        }
        this.way = way;
        this.shot = shot;
        this.query = query;
        this.seed = seed;
    }

    /** Classes per episode. */
    public int way() {
        return way;
    }

    /** Support images per class. */
    public int shot() {
        return shot;
    }

    /** Query images per class. */
    public int query() {
        return query;
    }

    /** Episode {@code index}, a pure function of (seed, index). */
    public Episode episode(int index) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, index, DOMAIN));
        int[] classes = firstOfShuffle(identity(imagesByClass.length), way, r);
        int[] support = new int[way * shot];
        int[] queries = new int[way * query];
        for (int c = 0; c < way; c++) {
            int[] picked = firstOfShuffle(imagesByClass[classes[c]].clone(), shot + query, r);
            System.arraycopy(picked, 0, support, c * shot, shot);
            System.arraycopy(picked, shot, queries, c * query, query);
        }
        return new Episode(index, classes, support, queries);
    }

    /** Episodes {@code 0..count-1}. */
    public Episode[] episodes(int count) {
        Episode[] out = new Episode[count];
        for (int e = 0; e < count; e++) {
            out[e] = episode(e);
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** The first {@code k} of a partial Fisher-Yates shuffle of {@code a} (modified in place). */
    private static int[] firstOfShuffle(int[] a, int k, SplittableRandom r) {
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        int[] out = new int[k];
        System.arraycopy(a, 0, out, 0, k);
        return out;
    }
}
