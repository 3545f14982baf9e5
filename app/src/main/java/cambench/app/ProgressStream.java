package cambench.app;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A {@link PrintStream} that writes into a command's picocli writer, for the layers that report
 * progress to a stream (run context, progress lines). Text reaches the writer, which is flushed,
 * whenever the stream is flushed: after every print, as the stream flushes itself.
 */
final class ProgressStream {
    private ProgressStream() {
    }

    /** A UTF-8 stream over {@code writer}. */
    static PrintStream over(PrintWriter writer) {
        OutputStream bytes = new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                pending.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                pending.write(b, off, len);
            }

            @Override
            public void flush() {
                writer.write(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                writer.flush();
            }
        };
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
