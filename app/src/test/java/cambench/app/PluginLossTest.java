package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.ObjectiveProvider;
import cambench.api.Objectives;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The "add a loss" path as the README gives it: the plugin API published with
 * {@code mvn -q -B -pl api -am install -DskipTests}, examples/focal-loss built by its own pom
 * ({@code mvn -q -B package}, against cambench-api alone) in child processes, the jar loaded with
 * --plugins in a fresh class loader and added as a row with --losses +focal. A broken example pom
 * or a use of a class outside the API fails the build, and so this test.
 */
@Tag("engine")
class PluginLossTest {

    /** Publishes the API and builds the example exactly as the README says; returns the jar. */
    static Path exampleJar(Path logs) throws IOException, InterruptedException {
        Path repo = Paths.get(System.getProperty("cambench.repo", "..")).toAbsolutePath().normalize();
        Path example = repo.resolve("examples").resolve("focal-loss");
        Path jar = example.resolve("target").resolve("focal-loss-1.0.jar");
        Files.deleteIfExists(jar);   // a jar left by an earlier build must not pass for this one
        mvn(repo, logs.resolve("install.log"), "-q", "-B", "-pl", "api", "-am", "install", "-DskipTests");
        mvn(example, logs.resolve("package.log"), "-q", "-B", "package");
        assertTrue(Files.isRegularFile(jar), "mvn package wrote no " + jar);
        return jar;
    }

    /** Runs Maven in {@code dir}; fails with its output unless it exits with 0. */
    private static void mvn(Path dir, Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        String home = System.getProperty("maven.home");
        Path bundled = home == null ? null : Paths.get(home, "bin", "mvn");
        command.add(bundled != null && Files.isExecutable(bundled) ? bundled.toString() : "mvn");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, String.join(" ", command) + " in " + dir + " failed:\n"
                + Files.readString(log));
    }

    @Test
    void examplePlugin_addedWithLosses_appearsAsRowInSmokeTable(@TempDir Path dir) throws Exception {
        Path jar = exampleJar(dir);
        try (URLClassLoader fresh = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                PluginLossTest.class.getClassLoader())) {
            ObjectiveProvider focal = Objectives.load(fresh).provider("focal");
            assertSame(fresh, focal.getClass().getClassLoader(), "focal comes from the jar");
            assertEquals(ObjectiveProvider.Kind.LOSS, focal.kind());
        }
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
}
