package cambench.results.store;

import cambench.api.UserException;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The run store: a directory with one JSON record per finished cell under {@code runs/} and
 * checkpoints of unfinished cells under {@code checkpoints/}. Every file is written to a temporary
 * file in the same directory and moved into place atomically, so a killed run never leaves a
 * half-written record. Works on a shared file system (Slurm nodes): file and folder are fsynced
 * around the rename, files are created with the process's umask (0644 by default), so a group
 * sharing the store can read them.
 *
 * <p>Several workers share one store: {@code claims/} holds who trains which cell ({@link Claims}),
 * {@code failed/} one JSON file per failed cell ({@link Failure}), {@code plans/HASH.json} every plan
 * run on the store.
 */
public final class RunStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path root;

    /** Opens (does not create) a store rooted at {@code root}. */
    public RunStore(Path root) {
        this.root = root;
    }

    /** The store's root folder. */
    public Path root() {
        return root;
    }

    /** Folder of finished records. */
    public Path runsDir() {
        return root.resolve("runs");
    }

    /** Folder of checkpoints of unfinished cells. */
    public Path checkpointsDir() {
        return root.resolve("checkpoints");
    }

    /** Folder of claims of cells being trained. */
    public Path claimsDir() {
        return root.resolve("claims");
    }

    /** Folder of failed cells' reasons. */
    public Path failedDir() {
        return root.resolve("failed");
    }

    /** Where a cell's failure lives. */
    public Path failedPath(Cell cell) {
        return failedDir().resolve(cell.fileName() + ".json");
    }

    /** Where a cell's record lives. */
    public Path recordPath(Cell cell) {
        return runsDir().resolve(cell.fileName() + ".json");
    }

    /** Where a cell's checkpoint lives. */
    public Path checkpointPath(Cell cell) {
        return checkpointsDir().resolve(cell.fileName() + ".ckpt");
    }

    /**
     * The finished record of a cell, if any. A file in its place that is not a record of this cell
     * counts as no record (a warning on standard error names it), so the cell is trained again.
     */
    public Optional<RunRecord> find(Cell cell) {
        Path p = recordPath(cell);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        try {
            RunRecord r = read(p);
            if (!cell.key().equals(r.key())) {
                System.err.println("cambench: warning: " + p + " holds the record of another cell (" + r.key()
                        + "); ignored");
                return Optional.empty();
            }
            return Optional.of(r);
        } catch (UserException e) {
            if (!Files.exists(p)) {
                return Optional.empty();
            }
            System.err.println("cambench: warning: " + e.getMessage() + "; ignored");
            return Optional.empty();
        }
    }

    /** Whether a cell has a record file (cheaper than {@link #find}: the file is not read). */
    public boolean isDone(Cell cell) {
        return Files.exists(recordPath(cell));
    }

    /** Writes a finished record atomically and removes the cell's checkpoint and failure. */
    public void save(RunRecord record) {
        try {
            writeAtomically(recordPath(record.cell()), JSON.writeValueAsBytes(record));
            Files.deleteIfExists(checkpointPath(record.cell()));
            Files.deleteIfExists(failedPath(record.cell()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write record " + record.key(), e);
        }
    }

    /** Every readable record in the store, sorted by file name; other files get a warning on standard error. */
    public List<RunRecord> all() {
        return all(w -> System.err.println("cambench: warning: " + w));
    }

    /**
     * Every readable record in the store, sorted by file name. A file of {@code runs/} that is not
     * a record, or whose name is not its cell's, is passed to {@code warn} (one line naming it)
     * and skipped.
     */
    public List<RunRecord> all(Consumer<String> warn) {
        if (!Files.isDirectory(runsDir())) {
            return List.of();
        }
        List<RunRecord> records = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(runsDir())) {
            files = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UserException(runsDir() + ": cannot list records (" + e.getMessage() + ")", e);
        }
        for (Path p : files) {
            String name = p.getFileName().toString();
            if (!name.endsWith(".json")) {
                warn.accept(p + ": not a run record (name does not end in .json); ignored");
                continue;
            }
            try {
                RunRecord r = read(p);
                if (r.cell() == null || !name.equals(r.cell().fileName() + ".json")) {
                    warn.accept(p + ": a record under another cell's name; ignored");
                    continue;
                }
                records.add(r);
            } catch (UserException e) {
                if (Files.exists(p)) {
                    warn.accept(e.getMessage() + "; ignored");
                }
            }
        }
        return records;
    }

    /**
     * A failed cell: why and at which epoch ({@code 0} before the first epoch ended).
     *
     * @param key the cell key
     * @param cell the cell
     * @param kind {@code diverged}, {@code non_finite_logits}, {@code out_of_memory}, {@code io_error},
     *     {@code corrupt_checkpoint} or {@code error}
     * @param reason one line
     * @param epoch the epoch that failed (1-based), 0 when unknown
     * @param host the worker's host
     * @param at ISO-8601 time
     */
    public record Failure(String key, Cell cell, String kind, String reason, int epoch, String host, String at) {
    }

    /** Writes a cell's failure (atomically, replacing an older one). */
    public void saveFailure(Failure failure) {
        try {
            writeAtomically(failedPath(failure.cell()), JSON.writeValueAsBytes(failure));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write failure of " + failure.key(), e);
        }
    }

    /** A cell's failure, if one is recorded and readable. */
    public Optional<Failure> findFailure(Cell cell) {
        Path p = failedPath(cell);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(p.toFile(), Failure.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new Failure(cell.key(), cell, "error", "unreadable failure file " + p, 0, "", ""));
        }
    }

    /** Forgets a cell's failure (before a retry). */
    public void clearFailure(Cell cell) {
        try {
            Files.deleteIfExists(failedPath(cell));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + failedPath(cell), e);
        }
    }

    /**
     * Removes temporary files ({@code .NAME.tmp}) older than {@code age} left by killed writers in
     * the store's folders; returns how many.
     */
    public int removeStaleTemps(Duration age) {
        int removed = 0;
        Instant cutoff = Instant.now().minus(age);
        for (Path dir : List.of(root, runsDir(), checkpointsDir(), claimsDir(), failedDir(), root.resolve("plans"),
                root.resolve("teachers"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".") && n.endsWith(".tmp")
                            && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        removed += Files.deleteIfExists(p) ? 1 : 0;
                    }
                }
            } catch (IOException e) {
                // a folder another worker is changing: nothing to clean this time
            }
        }
        return removed;
    }

    /** Reads one record; a malformed file is a user error naming it. */
    public static RunRecord read(Path file) {
        try {
            return JSON.readValue(file.toFile(), RunRecord.class);
        } catch (IOException e) {
            throw new UserException(file + ": not a run record (" + e.getMessage().split("\n")[0] + ")", e);
        }
    }

    /**
     * Writes bytes to {@code target} through a temporary file in the same folder and an atomic
     * rename; creates the folder. The temporary file is fsynced before the rename and the folder
     * after it, so a record that exists after a crash is whole. Files get the process's umask.
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = writeTemp(dir, target.getFileName().toString(), bytes);
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncFolder(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code target} with {@code bytes} only if it does not exist yet, atomically and whole
     * (a hard link to a fsynced temporary file): readers never see it half-written.
     *
     * @return whether this call created it
     */
    public static boolean createAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = writeTemp(dir, target.getFileName().toString(), bytes);
        try {
            Files.createLink(target, tmp);
            fsyncFolder(dir);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            // no hard links on this file system: create-new, then write (readers may see it short)
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            } catch (java.nio.file.FileAlreadyExistsException e2) {
                return false;
            }
            fsyncFolder(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A fsynced temporary file {@code .NAME.RANDOM.tmp} in {@code dir} holding {@code bytes}. */
    private static Path writeTemp(Path dir, String name, byte[] bytes) throws IOException {
        Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** Flushes a folder's entries (renames, new files) to disk; a no-op where folders cannot be opened. */
    public static void fsyncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform or file system: the rename is still atomic
        }
    }

    /** The shared JSON mapper (records, specs). */
    public static ObjectMapper json() {
        return JSON;
    }
}
