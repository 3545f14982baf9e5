package cambench.harness.train;

/**
 * Top-1 / top-5 counts from logits, computed in Java from one copy of the logits per batch.
 * A sample is top-k correct when fewer than k other classes have a logit at least as large as its
 * label's (a tie counts against it). A non-finite logit anywhere marks the evaluation as
 * {@link #nonFinite()}: such a network is diverged and must not be scored.
 */
final class Evaluation {
    private long seen;
    private long top1;
    private long top5;
    private boolean nonFinite;

    /** Adds a batch: logits [n, k] row-major, labels [n]. */
    void add(float[] logits, int[] labels, int n) {
        int k = logits.length / n;
        for (int i = 0; i < n; i++) {
            float target = logits[i * k + labels[i]];
            int rank = 0;
            for (int j = 0; j < k; j++) {
                float v = logits[i * k + j];
                if (!Float.isFinite(v)) {
                    nonFinite = true;
                }
                if (j != labels[i] && v >= target) {
                    rank++;
                }
            }
            top1 += rank < 1 ? 1 : 0;
            top5 += rank < 5 ? 1 : 0;
        }
        seen += n;
    }

    /** Whether some logit was NaN or infinite. */
    boolean nonFinite() {
        return nonFinite;
    }

    long seen() {
        return seen;
    }

    /** Accuracy as a fraction. */
    double accuracy() {
        return seen == 0 ? Double.NaN : (double) top1 / seen;
    }

    /** Top-1 error in %. */
    double top1Error() {
        return seen == 0 ? Double.NaN : 100.0 * (seen - top1) / seen;
    }

    /** Top-5 error in %. */
    double top5Error() {
        return seen == 0 ? Double.NaN : 100.0 * (seen - top5) / seen;
    }
}
