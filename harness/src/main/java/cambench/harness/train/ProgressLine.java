package cambench.harness.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar with ETA and running loss on standard error. On a terminal it redraws one line;
 * elsewhere (logs, CI) it prints one line per epoch only.
 */
public final class ProgressLine {
    private static final int WIDTH = 20;
    private final PrintStream out;
    private final boolean terminal;
    private final String title;
    private long lastDraw;

    /** Creates a bar titled {@code title} on {@code out}. */
    public ProgressLine(PrintStream out, String title) {
        this(out, title, System.console() != null);
    }

    ProgressLine(PrintStream out, String title, boolean terminal) {
        this.out = out;
        this.title = title;
        this.terminal = terminal;
    }

    /** Redraws the bar (at most 5 times a second) during an epoch. */
    public void step(int epoch, int epochs, long done, long total, double loss, double imagesPerSecond,
            double etaSeconds) {
        long now = System.nanoTime();
        if (!terminal || now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = (int) (WIDTH * done / Math.max(1, total));
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        out.print(String.format(Locale.ROOT, "\r%s | epoch %d/%d [%s] %3d%% loss %.4f | %.0f img/s | ETA %s   ",
                title, epoch, epochs, bar, 100 * done / Math.max(1, total), loss, imagesPerSecond,
                clock(etaSeconds)));
        out.flush();
    }

    /** Prints the summary line of a finished epoch. */
    public void epochDone(int epoch, int epochs, double loss, double trainAcc, double testErr, double seconds,
            double etaSeconds) {
        out.print(String.format(Locale.ROOT, "%s%s | epoch %d/%d loss %.4f train acc %.2f%% test err %.2f%%"
                + " | %.1fs | ETA %s%n", terminal ? "\r" : "", title, epoch, epochs, loss, 100 * trainAcc, testErr,
                seconds, clock(etaSeconds)));
        out.flush();
    }

    /** Prints a warning line about this run. */
    public void warn(String message) {
        out.print((terminal ? "\r" : "") + "cambench: warning: " + title + " | " + message + System.lineSeparator());
        out.flush();
    }

    /** Formats seconds as h:mm:ss. */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
