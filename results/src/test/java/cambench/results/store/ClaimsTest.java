package cambench.results.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.results.plan.Cell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/** Claims: create-new, heartbeat, stale by age or dead pid, takeover by one worker only. */
class ClaimsTest {
    private static final Cell CELL = RunStoreTest.cell("cam", 1);

    @Test
    void acquire_secondWorkerIsRefused_untilFirstReleases(@TempDir Path dir) {
        RunStore store = new RunStore(dir);
        Claims a = new Claims(store, "a", Duration.ofMinutes(10));
        Claims b = new Claims(store, "b", Duration.ofMinutes(10));
        Claims.Held held = a.acquire(CELL).orElseThrow();
        assertEquals("a", a.read(CELL).orElseThrow().worker());
        assertEquals(ProcessHandle.current().pid(), a.read(CELL).orElseThrow().pid());
        assertTrue(b.acquire(CELL).isEmpty(), "a live claim is not taken");
        held.close();
        assertTrue(Files.notExists(a.path(CELL)));
        Claims.Held second = b.acquire(CELL).orElseThrow();
        assertNull(second.takenOver());
        second.close();
    }

    @Test
    void heartbeat_refreshesTheClaim(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        Claims a = new Claims(store, "a", Duration.ofMillis(800)); // beats every 200 ms
        try (Claims.Held held = a.acquire(CELL).orElseThrow()) {
            long first = a.read(CELL).orElseThrow().heartbeat();
            Thread.sleep(1500);
            Claims.Claim now = a.read(CELL).orElseThrow();
            assertTrue(now.heartbeat() > first, "heartbeat moved");
            assertFalse(a.isStale(now));
            assertTrue(new Claims(store, "b", Duration.ofMillis(800)).acquire(CELL).isEmpty());
            assertFalse(held.lost());
        }
    }

    @Test
    void staleByAge_isTakenOver_andTheOldOwnerNoticesTheLoss(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        writeClaim(store, "old", ProcessHandle.current().pid(), System.currentTimeMillis() - 60_000);
        Claims b = new Claims(store, "b", Duration.ofSeconds(30));
        Claims.Held held = b.acquire(CELL).orElseThrow();
        assertEquals("old", held.takenOver().worker());
        assertEquals("b", b.read(CELL).orElseThrow().worker());
        held.close();
    }

    @Test
    void deadPidOnThisHost_isStaleAtOnce(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        RunStore store = new RunStore(dir);
        writeClaim(store, "dead", p.pid(), System.currentTimeMillis());
        Claims b = new Claims(store, "b", Duration.ofHours(1));
        assertTrue(b.isStale(b.read(CELL).orElseThrow()));
        try (Claims.Held held = b.acquire(CELL).orElseThrow()) {
            assertEquals("dead", held.takenOver().worker());
        }
    }

    @Test
    void staleClaim_isTakenOverByExactlyOneOfManyWorkers(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 60; round++) {
            Path root = dir.resolve("r" + round);
            RunStore store = new RunStore(root);
            writeClaim(store, "old", ProcessHandle.current().pid(), System.currentTimeMillis() - 60_000);
            List<Claims.Held> winners = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                Claims c = new Claims(store, "w" + w, Duration.ofSeconds(30));
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    c.acquire(CELL).ifPresent(winners::add);
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1, winners.size(), "round " + round);
            Claims.Claim onDisk = new Claims(store, "x", Duration.ofSeconds(30)).read(CELL).orElseThrow();
            assertEquals(winners.get(0).claim().token(), onDisk.token());
            winners.get(0).close();
            try (Stream<Path> s = Files.list(store.claimsDir())) {
                assertEquals(List.of(), s.toList(), "no claim or temporary file left");
            }
        }
    }

    @Test
    void lostClaim_isNotReleasedByItsFormerOwner(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        Claims a = new Claims(store, "a", Duration.ofHours(1));
        Claims.Held held = a.acquire(CELL).orElseThrow();
        writeClaim(store, "other", ProcessHandle.current().pid(), System.currentTimeMillis());
        assertTrue(held.lost());
        held.close();
        assertEquals("other", a.read(CELL).orElseThrow().worker());
    }

    private static void writeClaim(RunStore store, String worker, long pid, long heartbeat) throws Exception {
        Claims.Claim c = new Claims.Claim(CELL.key(), CELL.fileName(), worker, Claims.host(), pid,
                "token-" + worker, heartbeat, heartbeat);
        RunStore.writeAtomically(new Claims(store, worker, Duration.ZERO).path(CELL), RunStore.json().writeValueAsBytes(c));
    }

    @SuppressWarnings("unused")
    private static Optional<Claims.Claim> none() {
        return Optional.empty();
    }
}
