package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cambench.app.Main;
import cambench.harness.datasets.DatasetCatalog;
import cambench.harness.engine.EngineSetup;
import cambench.api.Objectives;
import cambench.protocols.distill.DistillationProtocol;
import cambench.protocols.distill.TeacherProtocol;
import cambench.harness.run.RunContext;
import cambench.api.UserException;
import cambench.results.plan.Plan;
import cambench.results.plan.Cell;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Table 7 on the smoke preset: teachers trained once and reused, curves, pair errors. */
@Tag("engine")
class DistillationTest {

    private static int run(String... args) {
        return Main.commandLine().execute(args);
    }

    private static Map<Path, FileTime> teacherFiles(Path out) throws Exception {
        Map<Path, FileTime> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(out.resolve("teachers"))) {
            for (Path p : s.toList()) {
                m.put(p, Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    @Test
    void table7Smoke_trainsEachTeacherOnce_andReusesIt(@TempDir Path out) throws Exception {
        assertEquals(0, run("reproduce", "--preset", "smoke", "--tables", "7", "--seeds", "1", "--out", out.toString()));
        Map<Path, FileTime> teachers = teacherFiles(out);
        assertEquals(2, teachers.size(), "one teacher per distinct (data, model, recipe): " + teachers.keySet());

        assertEquals(0, run("reproduce", "--preset", "smoke", "--tables", "7", "--seeds", "2", "--out", out.toString()));
        assertEquals(teachers, teacherFiles(out), "teacher weights untouched by the second round of students");

        List<RunRecord> records = new RunStore(out).all();
        Map<String, Double> teacherError = new TreeMap<>();
        records.stream().filter(r -> r.cell().protocol().equals(Plan.TEACHER_PROTOCOL))
                .forEach(r -> teacherError.put(r.key(), r.metric("top1_error")));
        assertEquals(2, teacherError.size());
        long students = records.stream().filter(r -> r.cell().protocol().equals("distillation")).peek(r ->
                assertEquals(teacherError.get(r.cell().teacher().key()), r.metric("teacher_top1_error"))).count();
        assertEquals(5 * 3 * 2, students, "5 pairs x kd/at/ccm x 2 seeds");

        List<String> csv = Files.readAllLines(out.resolve("report/table7.csv"));
        assertEquals(1 + 5 * 5, csv.size());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("table7,teacher,a,")));
        assertTrue(Files.readAllLines(out.resolve("report/table7_curves.csv")).size() > 1 + 4);
        assertTrue(Files.size(out.resolve("report/table7_curves.png")) > 1000);
    }
}
