package cambench.results.store;

import cambench.results.plan.Cell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Who trains which cell: {@code OUT/claims/CELL.json}, created only if absent (a hard link to a
 * whole, fsynced file, so two workers never both create it and nobody reads it half-written).
 * The owner refreshes its heartbeat from a background thread; a claim is stale when its heartbeat
 * is older than the timeout, or when its process is gone on this host. A stale claim is taken
 * over under a lock file named after its token (created only if absent, so one worker per stale
 * claim): the taker checks that the claim is still the stale one and replaces it atomically.
 */
public final class Claims {
    private static final String HOST = hostName();

    private final RunStore store;
    private final String worker;
    private final Duration timeout;

    /**
     * A claim file's content.
     *
     * @param key the cell key
     * @param cell the cell's file name
     * @param worker the worker's name, e.g. {@code w2}
     * @param host host name
     * @param pid process id on that host
     * @param token unique per claim (tells a taken-over claim from its successor)
     * @param started when the claim was made (epoch milliseconds)
     * @param heartbeat last refresh (epoch milliseconds)
     */
    public record Claim(String key, String cell, String worker, String host, long pid, String token, long started,
            long heartbeat) {
        /** Seconds since the last heartbeat. */
        public double heartbeatAgeSeconds() {
            return (System.currentTimeMillis() - heartbeat) / 1000.0;
        }
    }

    /**
     * Claims made by {@code worker} in {@code store}.
     *
     * @param timeout heartbeat age after which another worker's claim is stale
     */
    public Claims(RunStore store, String worker, Duration timeout) {
        this.store = store;
        this.worker = worker;
        this.timeout = timeout;
    }

    /** This host's name as claims record it. */
    public static String host() {
        return HOST;
    }

    /** Where a cell's claim lives. */
    public Path path(Cell cell) {
        return store.claimsDir().resolve(cell.fileName() + ".json");
    }

    /** The claim on a cell, if there is a readable one. */
    public Optional<Claim> read(Cell cell) {
        return read(path(cell));
    }

    private static Optional<Claim> read(Path p) {
        try {
            return Optional.of(RunStore.json().readValue(Files.readAllBytes(p), Claim.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every readable claim in the store. */
    public List<Claim> all() {
        List<Claim> out = new ArrayList<>();
        if (!Files.isDirectory(store.claimsDir())) {
            return out;
        }
        try (Stream<Path> s = Files.list(store.claimsDir())) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && n.endsWith(".json")) {
                    read(p).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            // being changed by another worker: what was read so far
        }
        return out;
    }

    /** Whether a claim's owner is presumed dead: heartbeat older than the timeout, or its process gone here. */
    public boolean isStale(Claim c) {
        if (HOST.equals(c.host()) && ProcessHandle.of(c.pid()).isEmpty()) {
            return true;
        }
        return System.currentTimeMillis() - c.heartbeat() > timeout.toMillis();
    }

    /**
     * Claims a cell: creates its claim, or takes over a stale one.
     *
     * @return the held claim (heartbeat running), or empty when another live worker holds the cell
     */
    public Optional<Held> acquire(Cell cell) {
        Path p = path(cell);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                long now = System.currentTimeMillis();
                Claim mine = new Claim(cell.key(), cell.fileName(), worker, HOST, ProcessHandle.current().pid(),
                        UUID.randomUUID().toString(), now, now);
                if (RunStore.createAtomically(p, RunStore.json().writeValueAsBytes(mine))) {
                    return Optional.of(new Held(p, mine, null));
                }
                Optional<Claim> existing = read(p);
                if (existing.isEmpty()) {
                    if (!Files.exists(p)) {
                        continue; // released meanwhile
                    }
                    // unreadable: stale once its file is older than the timeout
                    long age = now - Files.getLastModifiedTime(p).toMillis();
                    if (age <= timeout.toMillis()) {
                        return Optional.empty();
                    }
                } else if (!isStale(existing.get())) {
                    return Optional.empty();
                }
                // one takeover per stale claim: a lock named after the stale claim's token, created only if absent
                String staleToken = existing.map(Claim::token)
                        .orElse("unreadable-" + Files.getLastModifiedTime(p).toMillis());
                Path lock = p.resolveSibling("." + p.getFileName() + ".takeover-" + staleToken + ".tmp");
                if (!RunStore.createAtomically(lock, RunStore.json().writeValueAsBytes(mine))) {
                    return Optional.empty(); // another worker is taking it over
                }
                try {
                    Optional<Claim> again = read(p);
                    if (!Files.exists(p)) {
                        continue; // released meanwhile: claim it the ordinary way
                    }
                    boolean same = existing.isEmpty() ? again.isEmpty()
                            : again.isPresent() && again.get().token().equals(staleToken);
                    if (!same) {
                        return Optional.empty(); // taken over (and the lock freed) before we locked
                    }
                    RunStore.writeAtomically(p, RunStore.json().writeValueAsBytes(mine));
                    return Optional.of(new Held(p, mine, existing.orElse(null)));
                } finally {
                    // freed only after the new claim is in place: a late worker that locks the same stale
                    // token then sees the new claim and backs off
                    Files.deleteIfExists(lock);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim " + cell.fileName() + " in " + store.claimsDir(), e);
        }
    }

    /** A claim this worker holds; its heartbeat runs until {@link #close()}, which releases it. */
    public final class Held implements AutoCloseable {
        private final Path path;
        private final Claim claim;
        private final Claim takenOver;
        private final ScheduledExecutorService beat;
        private volatile boolean lost;

        private Held(Path path, Claim claim, Claim takenOver) {
            this.path = path;
            this.claim = claim;
            this.takenOver = takenOver;
            this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "claim-heartbeat-" + claim.cell());
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(200, Math.min(30_000, timeout.toMillis() / 4));
            beat.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        }

        /** The claim as written. */
        public Claim claim() {
            return claim;
        }

        /** The stale claim this one replaced, or null. */
        public Claim takenOver() {
            return takenOver;
        }

        /** Refreshes the heartbeat; notices when the claim is no longer this worker's. */
        public synchronized void heartbeat() {
            if (lost) {
                return;
            }
            Optional<Claim> now = read(path);
            if (now.isEmpty() || !now.get().token().equals(claim.token())) {
                lost = true;
                return;
            }
            Claim fresh = new Claim(claim.key(), claim.cell(), claim.worker(), claim.host(), claim.pid(),
                    claim.token(), claim.started(), System.currentTimeMillis());
            try {
                RunStore.writeAtomically(path, RunStore.json().writeValueAsBytes(fresh));
            } catch (IOException e) {
                // a transient file-system error: the next beat tries again
            }
        }

        /** Whether the claim was taken over (this worker was presumed dead); its results must not be saved. */
        public synchronized boolean lost() {
            if (!lost) {
                Optional<Claim> now = read(path);
                lost = now.isEmpty() || !now.get().token().equals(claim.token());
            }
            return lost;
        }

        /** Stops the heartbeat and removes the claim if it is still this worker's. */
        @Override
        public synchronized void close() {
            beat.shutdownNow();
            if (lost) {
                return;
            }
            Optional<Claim> now = read(path);
            if (now.isPresent() && now.get().token().equals(claim.token())) {
                try {
                    Files.deleteIfExists(path);
                    RunStore.fsyncFolder(path.getParent());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot release claim " + path, e);
                }
            }
            lost = true;
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return env == null ? "unknown" : env;
        }
    }
}
