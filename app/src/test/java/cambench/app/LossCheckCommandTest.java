package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code cambench loss-check} computes what it is given; a degenerate CAM is a warning, not a refusal. */
@Tag("engine")
class LossCheckCommandTest {

    @Test
    void lossCheck_camOnOneByOneMap_printsValueAndWarnsOnStderr(@TempDir Path dir) throws IOException {
        // f = 2 (one sample, one channel, 1x1), W = [[1], [-1]], b = 0, y = 0: s = [2, -2]; the CAM term of a
        // 1x1 map is 0 (both maps normalise to 0), so L = CE = log(1 + e^-4), by hand
        Path f = dir.resolve("cam-1x1.json");
        Files.writeString(f, "{\"loss\":\"cam\",\"params\":{\"alpha\":3},\"features\":{\"shape\":[1,1,1,1],\"data\":[2]},"
                + "\"weight\":{\"shape\":[2,1],\"data\":[1,-1]},\"bias\":{\"shape\":[2],\"data\":[0,0]},\"labels\":[0]}");
        Cli r = Cli.run("loss-check", f.toString());
        assertEquals(0, r.code, r.err);
        JsonNode out = new ObjectMapper().readTree(r.out);
        assertEquals(Math.log1p(Math.exp(-4)), out.get("loss").asDouble(), 1e-6);
        String err = r.err.strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("cambench: warning: cam-1x1.json: a class activation map of 1 position(s)"), err);
    }
}
