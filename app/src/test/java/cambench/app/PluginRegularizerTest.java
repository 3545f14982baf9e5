package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A regularizer written outside the repository (compiled here against the plugin API alone),
 * dropped in with --plugins as a class folder: listed, and added to Table 2's grid as rows
 * {@code ce+noise} and {@code cam+noise} by {@code reproduce --regularizers noise}. Engine-free
 * (the plan only).
 */
class PluginRegularizerTest {
    private static final String SOURCE = """
            package plugin.noise;

            import ai.djl.ndarray.NDArray;
            import cambench.api.MixedBatch;
            import cambench.api.ParamSpec;
            import cambench.api.Regularizer;
            import cambench.api.RegularizerProvider;
            import cambench.api.RegularizerStep;
            import java.util.List;

            public final class GaussianNoise implements Regularizer {
                private final float std;

                GaussianNoise(double std) {
                    this.std = (float) std;
                }

                @Override
                public MixedBatch onBatch(NDArray images, NDArray labels, RegularizerStep step) {
                    return MixedBatch.imagesOnly(images.add(images.getManager()
                            .randomNormal(images.getShape()).mul(std)));
                }

                public static final class Provider extends RegularizerProvider {
                    public Provider() {
                        super("noise", Kind.BATCH, "additive Gaussian noise on training images",
                                List.of(ParamSpec.of("std", 0.1, "noise standard deviation")),
                                p -> new GaussianNoise(p.atLeast("std", 0)));
                    }
                }
            }
            """;

    @Test
    void outsidePlugin_appearsInTable2Grid(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/plugin/noise/GaussianNoise.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("plugin");
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(classes.resolve("META-INF/services/cambench.api.RegularizerProvider"),
                "plugin.noise.GaussianNoise$Provider\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "the plugin compiles against the API");

        Cli list = Cli.run("list", "regularizers", "--plugins", classes.toString());
        assertEquals(0, list.code, list.err);
        assertTrue(list.out.contains("noise.std = 0.1"), list.out);
        assertTrue(list.out.contains("cutmix.prob = 0.5"), list.out);

        Cli plan = Cli.run("reproduce", "--preset", "smoke", "--tables", "2", "--seeds", "1", "--dry-run",
                "--out", dir.resolve("out").toString(), "--plugins", classes.toString(), "--regularizers", "noise",
                "--param", "noise.std=0.2");
        assertEquals(0, plan.code, plan.err);
        List<String> cells = plan.out.lines().toList();
        assertEquals(2 * (13 + 2), cells.size(), plan.out);   // 13 rows + ce+noise, cam+noise; 2 distinct columns
        assertEquals(2, cells.stream().filter(c -> c.contains("-ce+noise-")).count());
        assertEquals(2, cells.stream().filter(c -> c.contains("-cam+noise-")).count());

        Cli unknown = Cli.run("reproduce", "--preset", "smoke", "--tables", "2", "--dry-run", "--out",
                dir.resolve("out2").toString(), "--regularizers", "noise");
        assertEquals(2, unknown.code);
        assertTrue(unknown.err.contains("unknown regularizer 'noise'"), unknown.err);
    }
}
