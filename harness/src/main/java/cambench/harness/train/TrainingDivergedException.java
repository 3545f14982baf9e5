package cambench.harness.train;

import cambench.api.UserException;

/**
 * Training produced a non-finite loss: a property of the cell's settings (learning rate, loss
 * weight), not a bug. {@code reproduce} reports it, writes no record for the cell, and goes on
 * with the other cells.
 */
public final class TrainingDivergedException extends UserException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final int epoch;

    /** Creates the error with its one-line message. */
    public TrainingDivergedException(String message) {
        this(message, "diverged", 0);
    }

    /**
     * Creates the error.
     *
     * @param kind {@code diverged} (non-finite loss) or {@code non_finite_logits}
     * @param epoch the epoch that failed (1-based), 0 when unknown
     */
    public TrainingDivergedException(String message, String kind, int epoch) {
        super(message);
        this.kind = kind;
        this.epoch = epoch;
    }

    /** {@code diverged} or {@code non_finite_logits}. */
    public String kind() {
        return kind;
    }

    /** The epoch that failed (1-based), 0 when unknown. */
    public int epoch() {
        return epoch;
    }
}
