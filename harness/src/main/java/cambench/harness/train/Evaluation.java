package cambench.harness.train;

/**
 * Top-1 / top-5 counts from logits, computed in Java from one copy of the logits per batch.
 * A sample is top-k correct when fewer than k classes have a strictly larger logit than its label.
 */
final class Evaluation {
    private long seen;
    private long top1;
    private long top5;

    /** Adds a batch: logits [n, k] row-major, labels [n]. */
    void add(float[] logits, int[] labels, int n) {
        int k = logits.length / n;
        for (int i = 0; i < n; i++) {
            float target = logits[i * k + labels[i]];
            int rank = 0;
            for (int j = 0; j < k; j++) {
                if (logits[i * k + j] > target) {
                    rank++;
                }
            }
            top1 += rank < 1 ? 1 : 0;
            top5 += rank < 5 ? 1 : 0;
        }
        seen += n;
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
