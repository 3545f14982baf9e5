package cambench.harness.fewshot;

/**
 * One N-way K-shot Q-query episode: which classes, which support and query images.
 *
 * <p>Episode label {@code c} (0..way-1) is class {@code classes[c]}. Support and query are
 * class-major: {@code support[c * shot + k]} is the k-th support image of episode class c and
 * {@code query[c * query + q]} its q-th query image, so labels are {@code i / shot} and
 * {@code i / query}. Image indices refer to the sampled set; support and query are disjoint.
 *
 * @param index episode index (0-based)
 * @param classes the way sampled class ids, [way]
 * @param support support image indices, [way * shot]
 * @param query query image indices, [way * query]
 */
public record Episode(int index, int[] classes, int[] support, int[] query) {

    /** Classes per episode. */
    public int way() {
        return classes.length;
    }

    /** Support images per class. */
    public int shot() {
        return support.length / classes.length;
    }

    /** Query images per class. */
    public int queriesPerClass() {
        return query.length / classes.length;
    }
}
