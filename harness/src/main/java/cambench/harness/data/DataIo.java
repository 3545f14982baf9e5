package cambench.harness.data;

import cambench.api.UserException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** File helpers shared by the loaders; every problem becomes a one-line {@link UserException} naming the file. */
final class DataIo {
    private DataIo() {
    }

    /** A one-line user error {@code "<file>: <problem>"}. */
    static UserException error(Path file, String problem) {
        return new UserException(file + ": " + problem);
    }

    /** Returns {@code file} if it is a regular file, else fails saying what was expected there. */
    static Path requireFile(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw error(file, "not found, expected " + expected);
        }
        return file;
    }

    /** Returns {@code dir} if it is a directory, else fails saying what was expected there. */
    static Path requireDir(Path dir, String expected) {
        if (!Files.isDirectory(dir)) {
            throw error(dir, "folder not found, expected " + expected);
        }
        return dir;
    }

    /** Returns {@code split} if it is one of {@code allowed}, else fails naming the data set. */
    static String requireSplit(String dataset, String split, String... allowed) {
        if (!Arrays.asList(allowed).contains(split)) {
            throw new UserException(dataset + ": unknown split '" + split + "', expected one of "
                    + String.join(", ", allowed));
        }
        return split;
    }

    /** Opens {@code file} for buffered reading, gunzipping it when it starts with the gzip magic 1f 8b. */
    static InputStream open(Path file, String expected) {
        requireFile(file, expected);
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
        } catch (IOException e) {
            throw error(file, "cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads exactly {@code len} bytes or fails with {@code "<file>: truncated, <expected>"}.
     *
     * @param expected what the full file holds, e.g. "expected 60000 images of 28x28"
     */
    static void readFully(InputStream in, byte[] buf, int off, int len, Path file, String expected) {
        try {
            if (in.readNBytes(buf, off, len) < len) {
                throw error(file, "truncated, " + expected);
            }
        } catch (EOFException e) {
            throw error(file, "truncated, " + expected);
        } catch (IOException e) {
            throw error(file, "cannot read (" + e.getMessage() + "), " + expected);
        }
    }

    /** Fails with {@code "<file>: <n> extra bytes ..."} unless the stream is at its end. */
    static void requireEnd(InputStream in, Path file, String expected) {
        try {
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw error(file, extra + " bytes after the expected end, " + expected);
            }
        } catch (IOException e) {
            throw error(file, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** Size of a raw (not gzipped) file in bytes. */
    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw error(file, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** The lines of a UTF-8 text file (gzip allowed), trailing blank lines dropped. */
    static List<String> readLines(Path file, String expected) {
        try (InputStream in = open(file, expected)) {
            List<String> lines = new ArrayList<>(Arrays.asList(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n", -1)));
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw error(file, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** Lists a directory's entries sorted by name. */
    static List<Path> list(Path dir) {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw error(dir, "cannot list folder (" + e.getMessage() + ")");
        }
    }
}
