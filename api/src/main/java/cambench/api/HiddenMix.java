package cambench.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * A mix of hidden states at one stage boundary of the network, for one training step (Manifold
 * Mixup): the state {@code h} at boundary {@code boundary} becomes
 * {@code lambda h + (1 - lambda) h[partners]}, and the labels are mixed the same way.
 *
 * @param boundary 0 for the input images, s for the output of stage s (1-based)
 * @param partners for each image i of the batch, the index of the image mixed into it
 * @param lambda weight of each image's own state, in [0, 1]
 */
public record HiddenMix(int boundary, long[] partners, double lambda) {
    /** Checks the values and copies the partners. */
    public HiddenMix {
        if (boundary < 0) {
            throw new IllegalArgumentException("boundary must be >= 0, got " + boundary);
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
        }
        partners = partners.clone();
        for (long p : partners) {
            if (p < 0 || p >= partners.length) {
                throw new IllegalArgumentException("partner index " + p + " outside the batch of " + partners.length);
            }
        }
    }

    @Override
    public long[] partners() {
        return partners.clone();
    }

    /** The partners' rows of {@code rows} (images, states or labels; the batch on axis 0). */
    public NDArray partnersOf(NDArray rows) {
        return rows.get(new NDIndex("{}", rows.getManager().create(partners)));
    }

    /** The mixed state {@code lambda h + (1 - lambda) h[partners]} (weights in float: 1 - (float) lambda). */
    public NDArray mix(NDArray h) {
        float l = (float) lambda;
        return Scalars.times(h, l).add(Scalars.times(partnersOf(h), 1 - l));
    }
}
