package cambench.results.record;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A run's value at its best epoch: the epoch with the lowest test top-1 error (the first of equal
 * ones), the selection CutMix's {@code train.py} (best top-1 error, top-5 at that epoch) and
 * mdistiller's logs (best accuracy) report. It selects on the test set, so it is optimistic; the
 * run's own result stays its last epoch.
 */
public final class BestEpoch {
    private BestEpoch() {
    }

    /** The 0-based index in {@code epochs} of the lowest test top-1 error, or -1 when there are none. */
    public static int index(List<EpochMetrics> epochs) {
        int best = -1;
        for (int i = 0; i < epochs.size(); i++) {
            if (best < 0 || epochs.get(i).testTop1Error() < epochs.get(best).testTop1Error()) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The best epoch's value of {@code metric} ({@code top1_error}, {@code top1_acc},
     * {@code top5_error}); empty for other metrics (e.g. few-shot accuracies, measured after
     * training only) and for a record without epochs.
     */
    public static OptionalDouble of(RunRecord record, String metric) {
        int i = index(record.epochs());
        if (i < 0) {
            return OptionalDouble.empty();
        }
        EpochMetrics e = record.epochs().get(i);
        return switch (metric) {
            case "top1_error" -> OptionalDouble.of(e.testTop1Error());
            case "top1_acc" -> OptionalDouble.of(100 - e.testTop1Error());
            case "top5_error" -> OptionalDouble.of(e.testTop5Error());
            default -> OptionalDouble.empty();
        };
    }
}
