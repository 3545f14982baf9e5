package cambench.harness.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Self times from Chrome traces in both layouts. */
class OpProfileTest {
    // thread 1: conv2d [0,100] > convolution [10,90] > mkldnn [20,80]; a second conv2d [200,250] with no
    // children; thread 2: add [0,30] overlapping thread 1 in time but not nested in it
    private static final String LEGACY = "["
            + "{\"name\":\"aten::conv2d\",\"ph\":\"X\",\"ts\":0,\"dur\":100,\"tid\":1,\"pid\":\"CPU Functions\"},"
            + "{\"name\":\"aten::convolution\",\"ph\":\"X\",\"ts\":10,\"dur\":80,\"tid\":1,\"pid\":\"CPU Functions\"},"
            + "{\"name\":\"aten::mkldnn_convolution\",\"ph\":\"X\",\"ts\":20,\"dur\":60,\"tid\":1,\"pid\":\"CPU Functions\"},"
            + "{\"name\":\"aten::conv2d\",\"ph\":\"X\",\"ts\":200,\"dur\":50,\"tid\":1,\"pid\":\"CPU Functions\"},"
            + "{\"name\":\"aten::add\",\"ph\":\"X\",\"ts\":0,\"dur\":30,\"tid\":2,\"pid\":\"CPU Functions\"},"
            + "{\"name\":\"marker\",\"ph\":\"i\",\"ts\":5,\"tid\":1,\"pid\":\"CPU Functions\"}]";

    @Test
    void selfTimes_nestedEvents_subtractDirectChildren(@TempDir Path dir) throws IOException {
        List<OpProfile.OpTime> ops = OpProfile.selfTimes(Files.writeString(dir.resolve("t.json"), LEGACY));
        // conv2d: (100 - 80) + 50 = 70 us self, 150 us total, 2 calls; convolution 80 - 60 = 20; mkldnn 60
        assertEquals("aten::conv2d", ops.get(0).name());
        assertEquals(2, ops.get(0).calls());
        assertEquals(0.070, ops.get(0).selfMs(), 1e-12);
        assertEquals(0.150, ops.get(0).totalMs(), 1e-12);
        assertEquals("aten::mkldnn_convolution", ops.get(1).name());
        assertEquals(0.060, ops.get(1).selfMs(), 1e-12);
        assertEquals("aten::add", ops.get(2).name());
        assertEquals(0.030, ops.get(2).selfMs(), 1e-12);
        assertEquals("aten::convolution", ops.get(3).name());
        assertEquals(0.020, ops.get(3).selfMs(), 1e-12);
        assertEquals(4, ops.size()); // the instant event does not count
    }

    @Test
    void selfTimes_traceEventsObject_sameAsArray(@TempDir Path dir) throws IOException {
        Path t = Files.writeString(dir.resolve("t.json"), "{\"traceEvents\":" + LEGACY + "}");
        assertEquals(OpProfile.selfTimes(Files.writeString(dir.resolve("a.json"), LEGACY)), OpProfile.selfTimes(t));
    }

    @Test
    void print_perStep_dividesBySteps(@TempDir Path dir) throws IOException {
        StringWriter s = new StringWriter();
        OpProfile.print(OpProfile.selfTimes(Files.writeString(dir.resolve("t.json"), LEGACY)), 2, 2,
                new PrintWriter(s));
        String[] lines = s.toString().split("\n");
        assertEquals(4, lines.length); // header, two ops, total
        assertEquals(List.of("aten::conv2d", "1.0", "0.035", "0.075", "38.9%"), List.of(lines[1].trim().split("\\s+")));
        assertEquals(List.of("all", "ops", "0.090"), List.of(lines[3].trim().split("\\s+")));
    }
}
