package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.Objectives;
import cambench.app.Main;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.plan.PlanBuilder;
import cambench.results.plan.PlanFile;
import cambench.results.plan.PlanResources;
import cambench.results.record.EpochMetrics;
import cambench.results.record.RunRecord;
import cambench.results.store.Claims;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** status and report on a partial store with a running, a failed and a foreign file. Engine-free. */
class StatusReportTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    private static RunRecord record(Cell c, double top1) {
        return new RunRecord(RunRecord.FORMAT, c.key(), c, Map.of("top1_error", top1, "top5_error", 1.0),
                List.of(new EpochMetrics(1, 0.1, 2.0, Map.of(), 0.3, top1, 1.0, 30)), Map.of(), Map.of(), "a", "b",
                30, 0);
    }

    /** The smoke preset's Table 7, one seed. */
    private Plan smokeTable7() {
        return new PlanBuilder(new PlanResources(getClass().getClassLoader()), Objectives.builtIn(),
                new cambench.harness.run.Protocols(getClass().getClassLoader())::settings)
                .build("smoke", List.of("7"), 1, List.of(), Map.of());
    }

    @Test
    void partialStore_statusCountsEachState_andReportMarksMissingCells(@TempDir Path out) throws Exception {
        Plan plan = smokeTable7();
        RunStore store = new RunStore(out);
        PlanFile.write(store, plan);
        List<Cell> cells = plan.distinctCells();
        Cell teacher = cells.get(0);
        assertEquals(Plan.TEACHER_PROTOCOL, teacher.protocol());
        store.save(record(teacher, 20));
        Cell failed = null;
        Cell running = null;
        int done = 1;
        for (Cell c : cells.subList(1, cells.size())) {
            if (c.teacher() == null || !c.teacher().key().equals(teacher.key())) {
                continue;
            }
            if (failed == null) {
                failed = c;
                store.saveFailure(new RunStore.Failure(c.key(), c, "diverged", "loss NaN", 2, "h", "t"));
            } else if (running == null) {
                running = c;
            } else {
                store.save(record(c, 30));
                done++;
            }
        }
        Files.writeString(store.runsDir().resolve("stray.json"), "{oops");
        try (Claims.Held held = new Claims(store, "w7", Duration.ofMinutes(10)).acquire(running).orElseThrow()) {
            Result status = run("status", "--out", out.toString());
            assertEquals(0, status.code(), status.err());
            String s = status.out();
            assertTrue(s.startsWith("plan " + plan.hash() + " (preset smoke)"), s);
            assertTrue(s.contains("running  " + running.fileName() + "  w7 on " + Claims.host()), s);
            assertTrue(s.contains("epoch 0/" + running.recipe().epochs() + " done"), s);
            assertTrue(s.contains("failed   " + failed.fileName() + "  diverged at epoch 2: loss NaN"), s);
            assertTrue(s.contains("waiting  ") && s.contains("waiting for teacher-"), "students of other teachers: " + s);
            int pending = cells.size() - done - 2;
            assertTrue(s.contains(String.format("total: %d distinct cells: %d done (0 flagged), 1 running, %d pending,"
                    + " 1 failed",
                    cells.size(), done, pending)), s);
            assertTrue(s.contains("ETA: ~") && s.contains("at 30 s per cell"), s);
            assertTrue(s.contains("warning: " + store.runsDir().resolve("stray.json")), s);
        }

        Result report = run("report", "--out", out.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(report.err().contains("warning: " + store.runsDir().resolve("stray.json")), report.err());
        assertTrue(report.err().contains("cells have no record (1 failed)"), report.err());
        String md = Files.readString(out.resolve("report/table7.md"));
        assertTrue(md.contains("**Incomplete:** ") && md.contains(failed.fileName() + "` (diverged at epoch 2)"), md);
    }

    @Test
    void flaggedRecord_isListedWithItsHealth(@TempDir Path out) throws Exception {
        Plan plan = smokeTable7();
        RunStore store = new RunStore(out);
        PlanFile.write(store, plan);
        Cell teacher = plan.distinctCells().get(0);
        RunRecord r = record(teacher, 95.0);
        cambench.results.record.TrainingHealth atChance = new cambench.results.record.TrainingHealth(0, 3.0, 1.0, 1,
                20, 80, 95.0, 87.69, 47.5, 95.0, 1, 95.0, true, 0, false, "",
                cambench.results.record.TrainingHealth.Limits.DEFAULT);
        store.save(new RunRecord(r.format(), r.key(), r.cell(), r.metrics(), r.epochs(), r.data(), r.environment(),
                r.startedAt(), r.finishedAt(), r.wallSeconds(), r.resumedFromEpoch(), r.samples(), atChance));
        Result status = run("status", "--out", out.toString());
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("flagged  " + teacher.fileName() + "  30 s; last epoch at chance (test error"
                + " 95.00% >= 87.69% for 20 classes on 80 images; best 95.00% at epoch 1, it never learned)"),
                status.out());
        assertTrue(status.out().contains("distinct cells: 1 done (1 flagged), "), status.out());
    }
}
