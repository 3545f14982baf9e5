package cambench.results.store;

import cambench.api.UserException;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The run store: a directory with one JSON record per finished cell under {@code runs/} and
 * checkpoints of unfinished cells under {@code checkpoints/}. Every file is written to a temporary
 * file in the same directory and moved into place atomically, so a killed run never leaves a
 * half-written record. Works on a shared file system (Slurm nodes).
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

    /** Where a cell's record lives. */
    public Path recordPath(Cell cell) {
        return runsDir().resolve(cell.fileName() + ".json");
    }

    /** Where a cell's checkpoint lives. */
    public Path checkpointPath(Cell cell) {
        return checkpointsDir().resolve(cell.fileName() + ".ckpt");
    }

    /** The finished record of a cell, if any. */
    public Optional<RunRecord> find(Cell cell) {
        Path p = recordPath(cell);
        return Files.exists(p) ? Optional.of(read(p)) : Optional.empty();
    }

    /** Writes a finished record atomically and removes the cell's checkpoint. */
    public void save(RunRecord record) {
        try {
            writeAtomically(recordPath(record.cell()), JSON.writeValueAsBytes(record));
            Files.deleteIfExists(checkpointPath(record.cell()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write record " + record.key(), e);
        }
    }

    /** Every record in the store, sorted by file name. */
    public List<RunRecord> all() {
        if (!Files.isDirectory(runsDir())) {
            return List.of();
        }
        List<RunRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(runsDir())) {
            files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(p -> records.add(read(p)));
        } catch (IOException e) {
            throw new UserException(runsDir() + ": cannot list records (" + e.getMessage() + ")", e);
        }
        return records;
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
     * rename; creates the folder.
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The shared JSON mapper (records, specs). */
    public static ObjectMapper json() {
        return JSON;
    }
}
