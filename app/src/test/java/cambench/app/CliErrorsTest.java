package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** User mistakes: one line on stderr, exit 2, no stack trace, nothing half-written. */
@Tag("engine")
class CliErrorsTest {

    private static void assertOneLineUserError(Cli r, String expectedFragment) {
        assertEquals(2, r.code, r.err);
        String err = r.err.strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(expectedFragment), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    @Test
    void lossCheck_labelOutOfRange_isOneLineError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"loss\":\"cam\",\"features\":{\"shape\":[1,1,1,2],\"data\":[1,2]},"
                + "\"weight\":{\"shape\":[2,1],\"data\":[1,2]},\"bias\":{\"shape\":[2],\"data\":[0,0]},\"labels\":[5]}");
        assertOneLineUserError(Cli.run("loss-check", f.toString()), "labels[0]: 5 is out of range 0..1");
    }

    @Test
    void lossCheck_shapeMismatch_namesField(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"loss\":\"ce\",\"features\":{\"shape\":[1,3,1,2],\"data\":[1,2]},"
                + "\"weight\":{\"shape\":[2,1],\"data\":[1,2]},\"bias\":{\"shape\":[2],\"data\":[0,0]},\"labels\":[0]}");
        assertOneLineUserError(Cli.run("loss-check", f.toString()), "features.data: 2 values");
    }

    @Test
    void lossCheck_unknownLossAndMissingFile_areOneLineErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"loss\":\"nope\"}");
        assertOneLineUserError(Cli.run("loss-check", f.toString()), "unknown objective 'nope'");
        assertOneLineUserError(Cli.run("loss-check", dir.resolve("missing.json").toString()), "missing.json");
    }

    @Test
    void train_camOnOneByOneFeatureMap_isRefusedBeforeTraining(@TempDir Path dir) {
        // Conv-4 pools 16 px down to a 1x1 map, whose min-max normalised CAM is always 0
        Cli r = Cli.run("train", "--dataset", "glyphs:classes=4,train=4,test=2,size=16", "--model", "conv4",
                "--objective", "cam", "--param", "start_epoch=1", "--augment", "none", "--epochs", "1",
                "--out", dir.resolve("out").toString());
        assertOneLineUserError(r, "objective 'cam' on model conv4 with 16x16 inputs (feature map (2, 64, 1, 1))");
        assertFalse(Files.exists(dir.resolve("out/runs")) && dir.resolve("out/runs").toFile().list().length > 0,
                "a record was written");
    }

    @Test
    void train_corruptIdxFile_isOneLineErrorNamingFile(@TempDir Path dir) throws IOException {
        Path fm = Files.createDirectories(dir.resolve("data/fashion-mnist"));
        Files.write(fm.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1});
        Files.write(fm.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 0});
        Files.write(fm.resolve("t10k-images-idx3-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1});
        Files.write(fm.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 0});
        Cli r = Cli.run("train", "--dataset", "fashion-mnist", "--data-root", dir.resolve("data").toString(),
                "--out", dir.resolve("out").toString(), "--epochs", "1");
        assertOneLineUserError(r, "train-images-idx3-ubyte");
        assertFalse(Files.exists(dir.resolve("out/runs")), "nothing half-written");
    }

    @Test
    void reproduce_unknownPresetAndLoss_listKnownNames(@TempDir Path dir) {
        assertOneLineUserError(Cli.run("reproduce", "--preset", "huge", "--out", dir.toString()), "known: smoke");
        assertOneLineUserError(Cli.run("reproduce", "--preset", "smoke", "--losses", "+nope", "--out",
                dir.toString()), "unknown objective 'nope'; known:");
        assertOneLineUserError(Cli.run("reproduce", "--preset", "smoke", "--param", "cam.beta=1", "--out",
                dir.toString()), "unknown parameter 'cam.beta'; cam accepts: alpha, start_epoch");
    }
}
