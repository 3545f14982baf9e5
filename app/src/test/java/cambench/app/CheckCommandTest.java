package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cambench check} on a partly missing data root names each missing piece and exits 2. */
@Tag("engine")
class CheckCommandTest {
    @TempDir
    Path root;

    @Test
    void paperTable1_partlyMissingRoot_oneLinePerMissingPiece() throws IOException {
        Path cls = root.resolve("imagenet/train/n01440764");
        Files.createDirectories(cls);
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", cls.resolve("a.png").toFile());
        Cli r = Cli.run("check", "--preset", "paper", "--tables", "1", "--data-root", root.toString(), "--no-forward");
        assertEquals(2, r.code, r.err);
        long problems = r.err.lines().filter(l -> l.startsWith("problem: ")).count();
        assertEquals(2, problems, r.err);
        assertTrue(r.err.contains("problem: data set 'cifar100': data set folder 'cifar-100-binary' not found"), r.err);
        assertTrue(r.err.contains("problem: data set 'imagenet': " + root.resolve("imagenet/val")), r.err);
        assertTrue(r.out.contains("cells; 0.0 PFLOP; GPU-hours 0.0 at a100's assumed sustained 60 TFLOP/s"), r.out);
        assertTrue(r.out.contains("wall time on 8 workers"), r.out);
    }

    @Test
    void smokeTable1_probeKernels_printsTheVerdictWithWhatWasProbed() {
        Cli r = Cli.run("check", "--preset", "smoke", "--tables", "1", "--no-forward", "--probe-kernels");
        assertEquals(0, r.code, r.err);
        String line = r.out.lines().filter(l -> l.startsWith("kernels ")).findFirst().orElse("none in " + r.out);
        // the condition comes from this machine (/proc/cpuinfo, /sys); the probe runs because it was asked for
        assertTrue(line.startsWith("kernels passed: ") && line.contains("; probed ")
                && line.endsWith(" convolution configuration(s) at batch 32 (forward, input and weight gradients,"
                        + " 5 rounds)"), line);
    }
}
