package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Commands print through picocli's writers; train and reproduce share the run options. Engine-free. */
class CommandStreamsTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void list_models_printsNamesOnCommandOut() {
        Result r = run("list", "models");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch("resnet8"::equals), r.out());
        assertEquals("", r.err());
    }

    @Test
    void help_trainAndReproduce_showSharedRunOptions() {
        for (String command : new String[] {"train", "reproduce"}) {
            Result r = run(command, "--help");
            assertEquals(0, r.code(), r.err());
            String help = r.out().replaceAll("\\s+", ""); // the usage wraps lines anywhere
            assertTrue(help.contains("--out=<out>runstorefolder(records,checkpoints,report)"), r.out());
            assertTrue(help.contains("--data-root=<dataRoot>folderholdingrealdatasets(cifar-10-batches-bin,...)"),
                    r.out());
            assertTrue(help.contains("--param=<String=String>objectiveparameter(repeatable)"), r.out());
            assertTrue(help.contains("e.g.alpha=2") && help.contains("e.g.cam.alpha=2"), r.out());
        }
    }

    @Test
    void reproduce_withoutOut_isUsageErrorOnCommandErr() {
        Result r = run("reproduce", "--preset", "smoke");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--out=<out>'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void progressStream_printsAndFlushes_reachTheWriter() {
        StringWriter target = new StringWriter();
        PrintStream s = ProgressStream.over(new PrintWriter(target));
        s.print("\repoch 1/2 ±");
        assertEquals("\repoch 1/2 ±", target.toString());
        s.println(" done");
        assertEquals("\repoch 1/2 ± done" + System.lineSeparator(), target.toString());
    }
}
