package cambench.app;

import cambench.harness.train.Checkpoint;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.plan.PlanFile;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.TableSpec;
import cambench.results.record.RunRecord;
import cambench.results.store.Claims;
import cambench.results.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code cambench status --out OUT}: per table, which cells are done, flagged (done, but their
 * training health is flagged: it blew up where the table allows that, or its last epoch is at
 * chance; docs/trust.md), running (which worker, epoch, heartbeat age), pending (and on what) or
 * failed (why), with counts and an ETA from the finished cells' wall times. Reads the store only.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Show done / running / pending / failed cells of a run store, per table, with an ETA.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "run store folder written by reproduce")
    Path out;

    @Option(names = "--plan", description = "plan hash (OUT/plans/HASH.json; default: the latest, OUT/plan.json)")
    String planHash;

    @Option(names = "--claim-timeout", defaultValue = "600",
            description = "seconds without a heartbeat after which a claim counts as stale")
    int claimTimeout;

    @Option(names = "--all", description = "list every cell, not only running, failed and waiting ones")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private enum State { DONE, FLAGGED, RUNNING, STALE, FAILED, WAITING, QUEUED }

    @Override
    public Integer call() {
        RunStore store = new RunStore(out);
        Plan plan = planHash == null ? PlanFile.read(store) : PlanFile.read(store, planHash);
        PrintWriter o = spec.commandLine().getOut();
        List<String> warnings = new ArrayList<>();
        Map<String, RunRecord> records = new HashMap<>();
        for (RunRecord r : store.all(warnings::add)) {
            records.put(r.key(), r);
        }
        Claims claims = new Claims(store, "status", Duration.ofSeconds(claimTimeout));
        Map<String, Claims.Claim> claimByKey = new HashMap<>();
        for (Claims.Claim c : claims.all()) {
            claimByKey.put(c.key(), c);
        }
        Map<String, State> state = new HashMap<>();
        Map<String, String> detail = new HashMap<>();
        for (Cell cell : plan.distinctCells()) {
            classify(cell, store, records, claimByKey, claims, state, detail);
        }
        o.println("plan " + plan.hash() + " (preset " + plan.preset().name() + "), store " + out);
        for (TableSpec t : plan.tables()) {
            Set<Cell> cells = new LinkedHashSet<>();
            for (PlannedCell p : plan.cells()) {
                if (p.table().equals(t.id())) {
                    cells.add(p.cell());
                }
            }
            Map<State, Integer> counts = count(cells, state);
            o.println(String.format(Locale.ROOT, "%s: %d cells: %d done (%d flagged), %d running, %d pending, %d failed",
                    t.id(), cells.size(), counts.get(State.DONE) + counts.get(State.FLAGGED), counts.get(State.FLAGGED),
                    counts.get(State.RUNNING),
                    counts.get(State.WAITING) + counts.get(State.QUEUED) + counts.get(State.STALE),
                    counts.get(State.FAILED)));
            for (Cell c : cells) {
                State s = state.get(c.key());
                if (all || s == State.RUNNING || s == State.STALE || s == State.FAILED || s == State.WAITING
                        || s == State.FLAGGED) {
                    o.println(String.format(Locale.ROOT, "  %-8s %s  %s", s.name().toLowerCase(Locale.ROOT),
                            c.fileName(), detail.getOrDefault(c.key(), "")));
                }
            }
        }
        List<Cell> distinct = plan.distinctCells();
        Map<State, Integer> total = count(distinct, state);
        int done = total.get(State.DONE) + total.get(State.FLAGGED);
        int left = distinct.size() - done - total.get(State.FAILED);
        o.println(String.format(Locale.ROOT, "total: %d distinct cells: %d done (%d flagged), %d running, %d pending,"
                + " %d failed", distinct.size(), done, total.get(State.FLAGGED), total.get(State.RUNNING),
                total.get(State.WAITING) + total.get(State.QUEUED) + total.get(State.STALE), total.get(State.FAILED)));
        double wall = 0;
        int n = 0;
        for (Cell c : distinct) {
            RunRecord r = records.get(c.key());
            if (r != null) {
                wall += r.wallSeconds();
                n++;
            }
        }
        Set<String> workers = new LinkedHashSet<>();
        for (Cell c : distinct) {
            if (state.get(c.key()) == State.RUNNING) {
                Claims.Claim cl = claimByKey.get(c.key());
                workers.add(cl.host() + "/" + cl.pid());
            }
        }
        if (left == 0) {
            o.println("ETA: nothing left");
        } else if (n == 0) {
            o.println("ETA: unknown until a cell finishes");
        } else {
            int parallel = Math.max(1, workers.size());
            o.println(String.format(Locale.ROOT, "ETA: ~%s for %d cell(s) at %.0f s per cell (mean of %d finished)"
                    + " with %d worker(s)", clock(wall / n * left / parallel), left, wall / n, n, parallel));
        }
        warnings.forEach(w -> o.println("warning: " + w));
        o.flush();
        return 0;
    }

    private static Map<State, Integer> count(Iterable<Cell> cells, Map<String, State> state) {
        Map<State, Integer> counts = new LinkedHashMap<>();
        for (State s : State.values()) {
            counts.put(s, 0);
        }
        for (Cell c : cells) {
            counts.merge(state.get(c.key()), 1, Integer::sum);
        }
        return counts;
    }

    private static void classify(Cell cell, RunStore store, Map<String, RunRecord> records,
            Map<String, Claims.Claim> claimByKey, Claims claims, Map<String, State> state,
            Map<String, String> detail) {
        String key = cell.key();
        if (records.containsKey(key)) {
            RunRecord r = records.get(key);
            boolean flagged = !r.healthFlags().isEmpty();
            state.put(key, flagged ? State.FLAGGED : State.DONE);
            detail.put(key, String.format(Locale.ROOT, "%.0f s", r.wallSeconds())
                    + (flagged ? "; " + r.health().flagReason() : ""));
            return;
        }
        Claims.Claim claim = claimByKey.get(key);
        if (claim != null) {
            int epoch = Checkpoint.epochsDone(store.checkpointPath(cell));
            String who = String.format(Locale.ROOT, "%s on %s pid %d, epoch %d/%d done, heartbeat %.0f s ago",
                    claim.worker(), claim.host(), claim.pid(), epoch, cell.recipe().epochs(),
                    claim.heartbeatAgeSeconds());
            boolean stale = claims.isStale(claim);
            state.put(key, stale ? State.STALE : State.RUNNING);
            detail.put(key, stale ? "stale claim (" + who + "); the next worker takes it over" : who);
            return;
        }
        Optional<RunStore.Failure> failure = store.findFailure(cell);
        if (failure.isPresent()) {
            state.put(key, State.FAILED);
            detail.put(key, failure.get().kind() + " at epoch " + failure.get().epoch() + ": " + failure.get().reason());
            return;
        }
        for (Cell d : Plan.dependencies(cell)) {
            if (!records.containsKey(d.key())) {
                state.put(key, State.WAITING);
                detail.put(key, "waiting for " + d.fileName()
                        + (store.findFailure(d).isPresent() ? " (failed)" : ""));
                return;
            }
        }
        state.put(key, State.QUEUED);
    }

    private static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
