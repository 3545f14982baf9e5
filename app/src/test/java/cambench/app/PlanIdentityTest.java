package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plan hash, dependencies in --dry-run, and --plan/--cell checks before the store is touched. Engine-free. */
class PlanIdentityTest {
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

    private static String hash(Result dry) {
        Matcher m = Pattern.compile("plan ([0-9a-f]{12}),").matcher(dry.err());
        assertTrue(m.find(), dry.err());
        return m.group(1);
    }

    @Test
    void dryRun_listsTeachersAsDependencies_andTheHashFollowsTheOptions() {
        Result t7 = run("reproduce", "--preset", "smoke", "--tables", "7", "--seeds", "1", "--out", "unused",
                "--dry-run");
        assertEquals(0, t7.code(), t7.err());
        List<String> lines = t7.out().lines().toList();
        List<String> students = lines.stream().filter(l -> l.contains("\tneeds ")).toList();
        assertEquals(5 * 3, students.size(), t7.out()); // 5 pairs x kd/at/ccm, one seed
        for (String student : students) {
            String[] f = student.split("\t");
            assertTrue(f[1].startsWith("distillation-"), student);
            String[] need = f[2].substring("needs ".length()).split(" ");
            int at = Integer.parseInt(need[0]);
            assertTrue(at < Integer.parseInt(f[0]), "teacher listed first: " + student);
            assertEquals(at + "\t" + need[1], lines.get(at));
            assertTrue(need[1].startsWith("teacher-"), student);
        }
        assertEquals(hash(t7), hash(run("reproduce", "--preset", "smoke", "--tables", "7", "--seeds", "1", "--out",
                "x", "--dry-run")));
        assertNotEquals(hash(t7), hash(run("reproduce", "--preset", "smoke", "--tables", "7", "--seeds", "2",
                "--out", "x", "--dry-run")));
    }

    @Test
    void otherPlan_orBadCell_isOneLineError_andWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("store");
        String h = hash(run("reproduce", "--preset", "smoke", "--tables", "3", "--out", out.toString(), "--dry-run"));
        Result other = run("reproduce", "--preset", "smoke", "--tables", "3", "--seeds", "1", "--plan", h,
                "--cell-index", "0", "--out", out.toString());
        assertEquals(2, other.code());
        assertEquals(1, other.err().lines().count(), other.err());
        assertTrue(other.err().startsWith("cambench: error: --plan " + h + ": these options plan "), other.err());

        Result index = run("reproduce", "--preset", "smoke", "--tables", "3", "--plan", h, "--cell-index", "9999",
                "--out", out.toString());
        assertEquals(2, index.code());
        assertTrue(index.err().contains("--cell-index 9999 is outside 0..39 (plan " + h + ")"), index.err());

        Result cell = run("reproduce", "--preset", "smoke", "--tables", "3", "--cell", "nope", "--out",
                out.toString());
        assertEquals(2, cell.code());
        assertTrue(cell.err().contains("--cell nope: no such cell in plan " + h), cell.err());
        assertTrue(Files.notExists(out), "nothing written to the store");
    }
}
