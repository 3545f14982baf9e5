package cambench.harness.run;

import cambench.api.UserException;
import cambench.harness.train.Checkpoint;
import cambench.harness.train.TrainingDivergedException;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.record.RunRecord;
import cambench.results.store.Claims;
import cambench.results.store.RunStore;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A worker over a run store that other workers (processes, Slurm tasks, threads) may share. A cell
 * is claimed ({@link Claims}) before it trains, so every cell trains once; its record is written
 * atomically; an unfinished cell resumes from its checkpoint (inside the protocol), also after
 * taking over the stale claim of a dead worker. A cell runs only once the records of its
 * dependencies (a distillation student's teacher) exist. A cell that fails gets
 * {@code failed/CELL.json} and the worker goes on.
 */
public final class CellRunner {
    private final Protocols protocols;
    private final RunContext context;
    private final Options options;
    private final Claims claims;
    private List<String> failures = List.of();
    /** Set for the cell a command names itself ({@link #runOne}): its user mistakes stop the command in one line. */
    private boolean userErrorsStop;

    /**
     * How a worker behaves.
     *
     * @param worker the worker's name in claims and output, e.g. {@code w1}
     * @param claimTimeout heartbeat age after which another worker's claim is stale
     * @param retryFailed whether cells with a failure file are tried again (once)
     * @param waitForOthers whether to wait for cells claimed by other workers to finish
     * @param poll pause between looks at the store while waiting
     */
    public record Options(String worker, Duration claimTimeout, boolean retryFailed, boolean waitForOthers,
            Duration poll) {
        /** One worker named after this process, 10 min claim timeout, no retry, no waiting for others. */
        public static Options defaults() {
            return new Options("pid" + ProcessHandle.current().pid(), Duration.ofMinutes(10), false, false,
                    Duration.ofSeconds(2));
        }
    }

    /** Creates a runner with {@link Options#defaults()}. */
    public CellRunner(Protocols protocols, RunContext context) {
        this(protocols, context, Options.defaults());
    }

    /** Creates a runner. */
    public CellRunner(Protocols protocols, RunContext context, Options options) {
        this.protocols = protocols;
        this.context = context;
        this.options = options;
        this.claims = new Claims(context.store(), options.worker(), options.claimTimeout());
    }

    /** What became of the cells of one {@link #runAll} call. */
    public record Summary(int ran, int alreadyDone, int doneByOthers, int failed, int leftToOthers,
            int blockedByFailedDependency) {
    }

    private Summary summary = new Summary(0, 0, 0, 0, 0, 0);

    /**
     * Works through {@code cells} (dependencies first, as {@link Plan#distinctCells()} orders them):
     * skips cells with a record, cells claimed by a live worker and cells whose dependency is
     * unfinished, coming back to them; returns when nothing is left that this worker can do (with
     * {@link Options#waitForOthers()}: when every cell is done or failed).
     *
     * @return how many cells this worker trained
     */
    public int runAll(List<Cell> cells) {
        RunStore store = context.store();
        store.removeStaleTemps(Duration.ofHours(1).plus(options.claimTimeout()));
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            position.putIfAbsent(cells.get(i).key(), i);
        }
        List<Cell> pending = new ArrayList<>(cells);
        Set<String> retried = new HashSet<>();
        Set<String> seen = new HashSet<>();
        List<String> failed = new ArrayList<>();
        int ran = 0;
        int alreadyDone = 0;
        int byOthers = 0;
        int blocked = 0;
        int leftToOthers = 0;
        long start = System.nanoTime();
        while (!pending.isEmpty()) {
            boolean worked = false;
            boolean waiting = false;
            boolean othersHold = false;
            for (Iterator<Cell> it = pending.iterator(); it.hasNext();) {
                Cell cell = it.next();
                boolean first = seen.add(cell.key());
                if (store.isDone(cell)) {
                    it.remove();
                    if (first) {
                        alreadyDone++;
                    } else {
                        byOthers++;
                    }
                    continue;
                }
                if (isFailed(cell, retried)) {
                    it.remove();
                    failed.add(cell.fileName() + ": " + store.findFailure(cell).map(f -> f.reason()).orElse("failed"));
                    continue;
                }
                String dependency = unfinishedDependency(cell, retried);
                if (dependency != null) {
                    if (dependency.startsWith("failed:")) {
                        it.remove();
                        blocked++;
                        context.log().println("cambench: cell " + cell.fileName() + " skipped: its dependency "
                                + dependency.substring(7) + " failed");
                    } else {
                        waiting = true;
                    }
                    continue;
                }
                var held = claims.acquire(cell);
                if (held.isEmpty()) {
                    othersHold = true;
                    continue;
                }
                try (Claims.Held claim = held.get()) {
                    if (store.isDone(cell)) {
                        it.remove();
                        byOthers++;
                        continue;
                    }
                    if (claim.takenOver() != null) {
                        Claims.Claim old = claim.takenOver();
                        context.log().printf(Locale.ROOT, "cambench: taking over %s from worker %s (%s pid %d,"
                                + " heartbeat %.0f s old); it resumes from its checkpoint%n", cell.fileName(),
                                old.worker(), old.host(), old.pid(), old.heartbeatAgeSeconds());
                    }
                    String failure = train(cell, claim, position.getOrDefault(cell.key(), 0), cells.size());
                    it.remove();
                    worked = true;
                    if (failure == null) {
                        ran++;
                    } else if (!failure.isEmpty()) {
                        failed.add(cell.fileName() + ": " + failure);
                    }
                }
                break; // look from the top again: a finished cell may unblock an earlier one
            }
            if (worked || pending.isEmpty()) {
                continue;
            }
            if (waiting || options.waitForOthers()) {
                sleep(options.poll());
                continue;
            }
            if (othersHold) {
                leftToOthers = pending.size();
                break;
            }
        }
        summary = new Summary(ran, alreadyDone, byOthers, failed.size(), leftToOthers, blocked);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d cell(s) run, %d already done,"
                + " %d failed", ran, alreadyDone, failed.size()));
        if (byOthers > 0) {
            line.append(String.format(Locale.ROOT, ", %d done by other workers", byOthers));
        }
        if (leftToOthers > 0) {
            line.append(String.format(Locale.ROOT, ", %d still running in other workers", leftToOthers));
        }
        if (blocked > 0) {
            line.append(String.format(Locale.ROOT, ", %d skipped (dependency failed)", blocked));
        }
        context.log().printf(Locale.ROOT, "%s, %.1f s%n", line, (System.nanoTime() - start) / 1e9);
        failures = List.copyOf(failed);
        return ran;
    }

    /** The cells of the last {@link #runAll} that failed (no record), with the reason. */
    public List<String> failures() {
        return failures;
    }

    /** Counts of the last {@link #runAll}. */
    public Summary summary() {
        return summary;
    }

    /**
     * Runs one cell unless its record exists: its unfinished dependencies first, each as a cell of
     * its own, waiting while another worker holds one of them.
     *
     * @param index position in the plan (for progress)
     * @param total plan size
     * @return whether it ran
     * @throws UserException for a user mistake in the cell or a dependency (nothing recorded), or
     *     when one of them failed otherwise (its failure is recorded)
     */
    public boolean runOne(Cell cell, int index, int total) {
        RunStore store = context.store();
        if (store.isDone(cell)) {
            context.log().println(title(cell, index, total) + " | done (record exists)");
            return false;
        }
        List<Cell> cells = new ArrayList<>();
        for (Cell d : Plan.dependencies(cell)) {
            if (!store.isDone(d)) {
                cells.add(d);
            }
        }
        cells.add(cell);
        CellRunner waiting = new CellRunner(protocols, context, new Options(options.worker(),
                options.claimTimeout(), options.retryFailed(), true, options.poll()));
        waiting.userErrorsStop = true;
        waiting.runAll(cells);
        if (!waiting.failures().isEmpty()) {
            throw new UserException("cell failed, no record written: " + waiting.failures().get(0));
        }
        return waiting.summary().ran() > 0;
    }

    /** Whether a cell counts as failed for this worker (a retry clears its failure once). */
    private boolean isFailed(Cell cell, Set<String> retried) {
        RunStore store = context.store();
        if (store.findFailure(cell).isEmpty()) {
            return false;
        }
        if (options.retryFailed() && retried.add(cell.key())) {
            store.clearFailure(cell);
            return false;
        }
        return true;
    }

    /** Null when every dependency has a record; {@code failed:NAME} when one failed; else its name. */
    private String unfinishedDependency(Cell cell, Set<String> retried) {
        for (Cell d : Plan.dependencies(cell)) {
            if (!context.store().isDone(d)) {
                if (context.store().findFailure(d).isPresent()
                        && !(options.retryFailed() && !retried.contains(d.key()))) {
                    return "failed:" + d.fileName();
                }
                return d.fileName();
            }
        }
        return null;
    }

    private static String title(Cell cell, int index, int total) {
        return String.format(Locale.ROOT, "[%d/%d] %s %s %s %s s%d", index + 1, total, cell.protocol(),
                cell.dataset(), cell.model(), cell.objective(), cell.seed());
    }

    /**
     * Trains a claimed cell and saves its record, or its failure.
     *
     * @return null when it finished, the reason when it failed, "" when the claim was lost
     */
    private String train(Cell cell, Claims.Held claim, int index, int total) {
        RunStore store = context.store();
        String title = title(cell, index, total);
        String kind;
        String reason;
        int epoch = 0;
        try {
            RunRecord record = protocols.get(cell.protocol()).run(cell, context.withTitle(title));
            if (claim.lost()) {
                context.log().println(title + " | claim taken over by another worker meanwhile; result discarded");
                if (store.isDone(cell)) {
                    // the checkpoint this worker wrote after the other one finished is not needed
                    java.nio.file.Files.deleteIfExists(store.checkpointPath(cell));
                }
                return "";
            }
            store.save(record);
            StringBuilder metrics = new StringBuilder();
            record.metrics().entrySet().stream().filter(e -> !e.getKey().equals("parameters")).limit(3)
                    .forEach(e -> metrics.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue())));
            context.log().printf(Locale.ROOT, "%s | finished:%s (%.1f s)%n", title, metrics, record.wallSeconds());
            return null;
        } catch (java.io.IOException e) {
            kind = "io_error";
            reason = e.getMessage();
        } catch (TrainingDivergedException e) {
            kind = e.kind();
            reason = e.getMessage();
            epoch = e.epoch();
        } catch (OutOfMemoryError e) {
            kind = "out_of_memory";
            reason = "out of memory (Java heap): " + e.getMessage();
        } catch (UncheckedIOException e) {
            boolean corrupt = e.getCause() instanceof Checkpoint.CorruptException;
            kind = corrupt ? "corrupt_checkpoint" : "io_error";
            reason = e.getMessage() + ": " + e.getCause().getMessage();
        } catch (UserException e) {
            if (userErrorsStop) {
                throw e;   // a command that names this cell reports the mistake itself, in one line
            }
            kind = "error";
            reason = e.getMessage();
        } catch (RuntimeException e) {
            String text = String.valueOf(e.getMessage());
            boolean oom = text.toLowerCase(Locale.ROOT).contains("out of memory");
            kind = oom ? "out_of_memory" : "error";
            reason = e.getClass().getSimpleName() + ": " + text.split("\n")[0];
            if (!oom) {
                e.printStackTrace(context.log());
            }
        }
        if (epoch == 0) {
            epoch = Checkpoint.epochsDone(store.checkpointPath(cell)) + 1;
        }
        if (claim.lost()) {
            context.log().println(title + " | failed after its claim was taken over; nothing written: " + reason);
            return "";
        }
        store.saveFailure(new RunStore.Failure(cell.key(), cell, kind, reason, epoch, Claims.host(),
                Instant.now().toString()));
        context.log().println("cambench: cell " + cell.fileName() + " failed (" + kind + ", epoch " + epoch
                + "), no record written: " + reason);
        return reason;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for other workers", e);
        }
    }
}
