package cambench.api;

/**
 * A mistake the user can fix (bad file, bad option, bad value).
 *
 * <p>The CLI prints only its message, on one line, and exits with code 2; it never prints a
 * stack trace for it. The message names the file, field or value and says what was expected.
 * Bugs use {@link IllegalStateException} / {@link IllegalArgumentException} instead (trace,
 * exit 1).
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the error with its one-line message. */
    public UserException(String message) {
        super(message);
    }

    /** Creates the error with its one-line message and the low-level cause (not printed). */
    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
