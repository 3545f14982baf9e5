package cambench.harness.train;

import cambench.api.UserException;

/**
 * Training produced a non-finite loss: a property of the cell's settings (learning rate, loss
 * weight), not a bug. {@code reproduce} reports it, writes no record for the cell, and goes on
 * with the other cells.
 */
public final class TrainingDivergedException extends UserException {
    private static final long serialVersionUID = 1L;

    /** Creates the error with its one-line message. */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
