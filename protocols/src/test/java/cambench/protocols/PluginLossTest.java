package cambench.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The "add a loss" path: examples/focal-loss compiled against the plugin API into a jar, loaded
 * with --plugins in a fresh class loader, and added as a row with --losses +focal.
 */
@Tag("engine")
class PluginLossTest {

    static Path exampleJar(Path dir) throws IOException {
        Path example = Paths.get(System.getProperty("cambench.repo", ".."), "examples", "focal-loss", "src", "main");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        try (Stream<Path> s = Files.walk(example.resolve("java"))) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "example compiles");
        Path jar = dir.resolve("focal-loss.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, classes, classes);
            add(out, example.resolve("resources"), example.resolve("resources"));
        }
        return jar;
    }

    private static void add(JarOutputStream out, Path root, Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(root.relativize(p).toString().replace('\\', '/')));
                try (OutputStream o = new NonClosing(out)) {
                    Files.copy(p, o);
                }
                out.closeEntry();
            }
        }
    }

    @Test
    void examplePlugin_addedWithLosses_appearsAsRowInSmokeTable(@TempDir Path dir) throws IOException {
        Path jar = exampleJar(dir);
        Cli list = Cli.run("list", "objectives", "--plugins", jar.toString());
        assertEquals(0, list.code, list.err);
        assertTrue(list.out.contains("focal.gamma = 2.0"), list.out);

        Path out = dir.resolve("out");
        Cli r = Cli.run("reproduce", "--preset", "smoke", "--tables", "3", "--seeds", "1", "--out", out.toString(),
                "--plugins", jar.toString(), "--losses", "+focal", "--param", "focal.gamma=1.5");
        assertEquals(0, r.code, r.err);
        List<String> focalRows = Files.readAllLines(out.resolve("report/table3.csv")).stream()
                .filter(l -> l.startsWith("table3,focal,")).toList();
        assertEquals(4, focalRows.size(), String.join("\n", focalRows));
        assertTrue(Files.readString(out.resolve("report/table3.md")).contains("| focal (added) |"));
        assertTrue(Files.list(out.resolve("runs")).anyMatch(p -> p.getFileName().toString().contains("-focal-")));
    }

    @Test
    void brokenPlugin_namesJarAndClass(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("broken.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/cambench.api.ObjectiveProvider"));
            out.write("com.example.Missing\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Cli r = Cli.run("list", "objectives", "--plugins", jar.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("com.example.Missing") && r.err.contains("broken.jar"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }

    /** Lets Files.copy write into a jar entry without closing the jar. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
