package cambench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.harness.run.Provenance;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Records name the code, plugins and data behind them; {@code report} flags records of another
 * code version and {@code reproduce --rerun-stale} recomputes exactly those.
 */
@Tag("engine")
class ProvenanceTest {

    @Test
    void records_carryProvenance_reportFlagsStale_rerunStaleRecomputesOnlyThose(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path plugin = dir.resolve("empty-plugin.jar");
        writeJar(plugin, "a.txt");
        String[] args = {"reproduce", "--preset", "smoke", "--tables", "3", "--seeds", "1", "--out", out.toString(),
            "--plugins", plugin.toString()};
        Cli first = Cli.run(args);
        assertEquals(0, first.code, first.err);
        RunStore store = new RunStore(out);
        List<RunRecord> records = store.all();
        assertEquals(20, records.size());
        String code = Provenance.code();
        assertTrue(code.matches("git:[0-9a-f]{40}(-dirty-[0-9a-f]{16})?|build:[0-9a-f]{16}"), code);
        Map<String, String> fingerprintBySpec = new HashMap<>();
        for (RunRecord r : records) {
            assertEquals(code, r.environment().get("code"), r.key());
            assertEquals("empty-plugin.jar=" + Provenance.fileHash(plugin), r.environment().get("plugins"));
            String fp = r.data().get("fingerprint");
            assertTrue(fp.matches("generated:[0-9a-f]{16}"), fp);
            String before = fingerprintBySpec.putIfAbsent(r.data().get("spec"), fp);
            assertTrue(before == null || before.equals(fp), "one spec, one fingerprint: " + r.data());
        }
        assertEquals(2, fingerprintBySpec.size());
        assertEquals(2, Map.copyOf(fingerprintBySpec).values().stream().distinct().count());

        // One record from "another build".
        RunRecord victim = records.get(3);
        Map<String, String> oldEnv = new LinkedHashMap<>(victim.environment());
        oldEnv.put("code", "git:" + "0".repeat(40));
        store.save(new RunRecord(victim.format(), victim.key(), victim.cell(), victim.metrics(), victim.epochs(),
                victim.data(), oldEnv, victim.startedAt(), victim.finishedAt(), victim.wallSeconds(),
                victim.resumedFromEpoch(), victim.samples()));
        Cli report = Cli.run("report", "--out", out.toString());
        assertEquals(0, report.code, report.err);
        assertTrue(report.err.contains("warning: 1 of 20 record(s) come from another code version (first: "
                + victim.key() + ", code git:0000000000000000000000000000000000000000, now " + code), report.err);
        assertTrue(Files.readString(out.resolve("report/table3.md"))
                .contains("**Warning: 1 record(s) of this table come from another code version**"));

        Map<Path, FileTime> before = mtimes(store.runsDir());
        Cli rerun = Cli.run(concat(args, "--rerun-stale"));
        assertEquals(0, rerun.code, rerun.err);
        assertTrue(rerun.err.contains(victim.cell().fileName() + ": stale record (code git:000"), rerun.err);
        Map<Path, FileTime> after = mtimes(store.runsDir());
        for (Map.Entry<Path, FileTime> e : before.entrySet()) {
            boolean isVictim = e.getKey().equals(store.recordPath(victim.cell()));
            assertEquals(!isVictim, e.getValue().equals(after.get(e.getKey())), e.getKey().toString());
        }
        assertEquals(code, store.find(victim.cell()).orElseThrow().environment().get("code"));
        Path setAside = out.resolve("stale").resolve(store.recordPath(victim.cell()).getFileName());
        assertTrue(Files.readString(setAside).contains("git:" + "0".repeat(40)));
        Cli clean = Cli.run("report", "--out", out.toString());
        assertFalse(clean.err.contains("another code version"), clean.err);
        assertFalse(Files.readString(out.resolve("report/table3.md")).contains("another code version"));

        // A rebuilt plugin of the same name makes every record that used it stale.
        writeJar(plugin, "b.txt");
        Cli rebuilt = Cli.run(concat(args, "--rerun-stale"));
        assertEquals(0, rebuilt.code, rebuilt.err);
        try (Stream<Path> s = Files.list(out.resolve("stale"))) {
            assertEquals(20, s.count());
        }
        for (RunRecord r : store.all()) {
            assertEquals("empty-plugin.jar=" + Provenance.fileHash(plugin), r.environment().get("plugins"));
        }
    }

    private static void writeJar(Path jar, String entry) throws IOException {
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            j.putNextEntry(new JarEntry(entry));
            j.write(entry.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
    }

    private static Map<Path, FileTime> mtimes(Path dir) throws IOException {
        Map<Path, FileTime> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p, Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
