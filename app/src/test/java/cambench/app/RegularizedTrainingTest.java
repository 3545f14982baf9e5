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
import java.util.List;
import java.util.stream.Stream;

/**
 * CAM-loss trained end to end with a hidden-state mixer (Manifold Mixup) and with a scheduled
 * network-level regularizer (DropBlock): the run record names the regularizer with every resolved
 * parameter, and every epoch has a finite loss and a live CAM term.
 */
@Tag("engine")
class RegularizedTrainingTest {

    private static JsonNode train(Path out, String regularizer) throws IOException {
        Cli r = Cli.run("train", "--dataset", "glyphs:classes=4,train=8,test=4,size=16", "--model", "resnet8",
                "--objective", "cam", "--param", "start_epoch=1", "--regularizers", regularizer,
                "--epochs", "2", "--batch-size", "8", "--lr", "0.05", "--augment", "none", "--threads", "1",
                "--out", out.toString());
        assertEquals(0, r.code, r.err);
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            List<Path> files = runs.filter(p -> p.toString().endsWith(".json")).toList();
            assertEquals(1, files.size(), files.toString());
            assertTrue(files.get(0).getFileName().toString().contains("cam+" + regularizer), files.toString());
            return new ObjectMapper().readTree(files.get(0).toFile());
        }
    }

    private static void assertLiveCamEveryEpoch(JsonNode record) {
        assertEquals(2, record.get("epochs").size());
        for (JsonNode e : record.get("epochs")) {
            assertTrue(Double.isFinite(e.get("train_loss").asDouble()), e.toString());
            assertTrue(e.get("terms").get("cam").asDouble() > 0, "CAM term live: " + e);
        }
    }

    @Test
    void manifoldMixup_withCamLoss_trainsAndIsRecorded(@TempDir Path dir) throws IOException {
        JsonNode record = train(dir.resolve("out"), "manifold_mixup");
        assertEquals("[\"manifold_mixup\"]", record.get("cell").get("regularizers").toString());
        JsonNode params = record.get("cell").get("regularizer_params");
        assertEquals("2.0", params.get("manifold_mixup.alpha").asText());
        assertEquals("2", params.get("manifold_mixup.max_boundary").asText());
        assertLiveCamEveryEpoch(record);
    }

    @Test
    void dropBlock_recordsItsSchedule(@TempDir Path dir) throws IOException {
        JsonNode record = train(dir.resolve("out"), "dropblock");
        assertEquals("linear", record.get("cell").get("regularizer_params").get("dropblock.schedule").asText());
        assertLiveCamEveryEpoch(record);
    }
}
