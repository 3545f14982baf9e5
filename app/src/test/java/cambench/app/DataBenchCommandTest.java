package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cambench bench data} on a tiny streamed ImageFolder tree. Engine-free. */
class DataBenchCommandTest {
    @TempDir
    Path root;

    @Test
    void streamedFolder_jsonHasRateAndPeakRss() throws IOException {
        for (String split : new String[] {"train", "val"}) {
            for (int c = 0; c < 2; c++) {
                Path dir = root.resolve(split).resolve("c" + c);
                Files.createDirectories(dir);
                for (int i = 0; i < 6; i++) {
                    ImageIO.write(new BufferedImage(50 + i, 40, BufferedImage.TYPE_3BYTE_BGR), "jpg",
                            dir.resolve(i + ".jpg").toFile());
                }
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("bench", "data", "--spec", "imagefolder:root=" + root + ",stream=on", "--threads", "2",
                "--batch", "4", "--batches", "2", "--warmup", "1", "--augment", "rrc32,flip", "--json");
        assertEquals(0, code, err.toString());
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertTrue(j.get("streamed").asBoolean());
        assertEquals(12, j.get("images_in_split").asInt());
        assertEquals(8, j.get("timed_images").asInt());
        assertTrue(j.get("images_per_s").asDouble() > 0);
        assertTrue(j.get("peak_rss_mb").asDouble() > 0 || j.get("peak_rss_mb").isTextual());
    }
}
