package cambench.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.harness.train.TrainingDivergedException;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.record.EpochMetrics;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import cambench.results.store.Claims;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** The worker loop with a fake protocol: claims, dependencies, failures, takeover. Engine-free. */
class CellRunnerTest {
    private static final Recipe RECIPE = new Recipe(1, 8, 0.1, 0.9, false, 0, "cosine", "none");

    /** Counts trainings per cell; students check their teacher's record exists; some cells diverge. */
    static final class Fake implements Protocol {
        final String name;
        final Map<String, AtomicInteger> trained;
        final Set<String> diverge;
        final RunStore store;

        Fake(String name, Map<String, AtomicInteger> trained, Set<String> diverge, RunStore store) {
            this.name = name;
            this.trained = trained;
            this.diverge = diverge;
            this.store = store;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public RunRecord run(Cell cell, RunContext context) {
            trained.computeIfAbsent(cell.key(), k -> new AtomicInteger()).incrementAndGet();
            if (cell.teacher() != null && !store.isDone(cell.teacher())) {
                throw new IllegalStateException("student ran before its teacher");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (diverge.contains(cell.objective())) {
                throw new TrainingDivergedException("training diverged: loss NaN", "diverged", 1);
            }
            return new RunRecord(RunRecord.FORMAT, cell.key(), cell, Map.of("top1_error", 10.0 + cell.seed()),
                    List.of(new EpochMetrics(1, 0.1, 1, Map.of(), 0.5, 10, 5, 0.02)), Map.of(), Map.of(), "a", "b",
                    0.02, 0);
        }
    }

    static List<Cell> plan() {
        Cell teacher = new Cell(Plan.TEACHER_PROTOCOL, "glyphs", "conv4", "ce", Map.of(), RECIPE, 1);
        List<Cell> cells = new ArrayList<>();
        cells.add(teacher);
        for (int seed = 1; seed <= 4; seed++) {
            for (String objective : List.of("kd", "at")) {
                cells.add(new Cell("distillation", "glyphs", "resnet8", objective, Map.of(), RECIPE, seed, teacher));
            }
            for (String objective : List.of("ce", "cam")) {
                cells.add(new Cell("classification", "glyphs", "resnet8", objective, Map.of(), RECIPE, seed));
            }
        }
        return cells;
    }

    static CellRunner runner(RunStore store, Map<String, AtomicInteger> trained, Set<String> diverge, String worker,
            boolean retry, PrintStream log) {
        Protocols protocols = Protocols.of(new Fake("classification", trained, diverge, store),
                new Fake(Plan.TEACHER_PROTOCOL, trained, diverge, store),
                new Fake("distillation", trained, diverge, store));
        RunContext context = new RunContext(store, null, null, 1, null, log, "");
        return new CellRunner(protocols, context, new CellRunner.Options(worker, Duration.ofSeconds(30), retry, true,
                Duration.ofMillis(20)));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void sixWorkersOnOneStore_trainEveryCellExactlyOnce_teacherFirst(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 3; round++) {
            RunStore store = new RunStore(dir.resolve("r" + round));
            List<Cell> cells = plan();
            Map<String, AtomicInteger> trained = new ConcurrentHashMap<>();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicInteger ranTotal = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                CellRunner r = runner(store, trained, Set.of(), "w" + w, false, quiet());
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        ranTotal.addAndGet(r.runAll(cells));
                        assertTrue(r.failures().isEmpty(), r.failures().toString());
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), errors);
            assertEquals(cells.size(), trained.size());
            trained.forEach((k, n) -> assertEquals(1, n.get(), "cell " + k + " trained " + n + " times"));
            assertEquals(cells.size(), ranTotal.get());
            assertEquals(cells.size(), store.all().size());
            try (Stream<Path> s = Files.list(store.runsDir())) {
                assertEquals(cells.size(), s.count(), "one file per record, no temporary files");
            }
            try (Stream<Path> s = Files.list(store.claimsDir())) {
                assertEquals(0, s.count(), "every claim released");
            }
        }
    }

    @Test
    void divergedCell_getsAFailureFile_theWorkerGoesOn_andRetryFailedRetries(@TempDir Path dir) {
        RunStore store = new RunStore(dir);
        List<Cell> cells = plan();
        Map<String, AtomicInteger> trained = new ConcurrentHashMap<>();
        CellRunner first = runner(store, trained, Set.of("cam"), "a", false, quiet());
        first.runAll(cells);
        assertEquals(4, first.failures().size(), first.failures().toString());
        Cell cam = cells.stream().filter(c -> c.objective().equals("cam")).findFirst().orElseThrow();
        RunStore.Failure f = store.findFailure(cam).orElseThrow();
        assertEquals("diverged", f.kind());
        assertEquals(1, f.epoch());
        assertEquals(cells.size() - 4, store.all().size());

        CellRunner again = runner(store, trained, Set.of(), "b", false, quiet());
        assertEquals(0, again.runAll(cells), "failed cells stay failed without --retry-failed");
        assertEquals(4, again.failures().size());

        CellRunner retry = runner(store, trained, Set.of(), "c", true, quiet());
        assertEquals(4, retry.runAll(cells));
        assertTrue(store.findFailure(cam).isEmpty());
        assertEquals(cells.size(), store.all().size());
    }

    @Test
    void failedTeacher_skipsItsStudents(@TempDir Path dir) {
        RunStore store = new RunStore(dir);
        List<Cell> cells = plan();
        Map<String, AtomicInteger> trained = new ConcurrentHashMap<>();
        CellRunner r = runner(store, trained, Set.of("ce"), "a", false, quiet());
        r.runAll(cells);
        assertEquals(8, r.summary().blockedByFailedDependency(), "8 students of the failed teacher");
        assertEquals(4, store.all().size(), "the cam cells only (teacher and ce cells diverge)");
    }

    @Test
    void claimOfADeadWorker_isTakenOver_andTheCellRuns(@TempDir Path dir) throws Exception {
        RunStore store = new RunStore(dir);
        List<Cell> cells = plan().subList(0, 1);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Claims.Claim dead = new Claims.Claim(cells.get(0).key(), cells.get(0).fileName(), "w9", Claims.host(),
                gone.pid(), "t", System.currentTimeMillis(), System.currentTimeMillis());
        Claims claims = new Claims(store, "x", Duration.ofHours(1));
        RunStore.writeAtomically(claims.path(cells.get(0)), RunStore.json().writeValueAsBytes(dead));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CellRunner r = runner(store, new ConcurrentHashMap<>(), Set.of(), "a", false,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(1, r.runAll(cells));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("taking over"), log.toString(StandardCharsets.UTF_8));
        assertTrue(store.isDone(cells.get(0)));
    }

    @Test
    void cellHeldByALiveWorker_isLeftToIt_withoutWait(@TempDir Path dir) {
        RunStore store = new RunStore(dir);
        List<Cell> cells = plan().subList(3, 5); // two classification cells
        Claims other = new Claims(store, "other", Duration.ofHours(1));
        try (Claims.Held held = other.acquire(cells.get(0)).orElseThrow()) {
            Protocols protocols = Protocols.of(new Fake("classification", new ConcurrentHashMap<>(), Set.of(), store));
            CellRunner r = new CellRunner(protocols, new RunContext(store, null, null, 1, null, quiet(), ""),
                    new CellRunner.Options("a", Duration.ofHours(1), false, false, Duration.ofMillis(20)));
            assertEquals(1, r.runAll(cells));
            assertEquals(1, r.summary().leftToOthers());
            assertTrue(!store.isDone(cells.get(0)));
        }
    }
}
