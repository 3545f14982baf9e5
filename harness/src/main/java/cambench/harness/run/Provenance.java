package cambench.harness.run;

import cambench.harness.data.GlyphSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Which code, plugins and data produced a record, so that a store can tell results of an older
 * build from current ones.
 *
 * <p>The code version is {@code git:COMMIT} in a clean git checkout, {@code git:COMMIT-dirty-HASH}
 * with uncommitted changes to tracked files (HASH over the built classes, so two different dirty
 * states differ), and {@code build:HASH} without git; the system property {@code cambench.code}
 * overrides it (a frozen Slurm build carries the version of the checkout it was copied from).
 * Hashes are SHA-256, shortened to 16 hex digits.
 */
public final class Provenance {
    /** The environment key of the code version. */
    public static final String CODE = "code";
    /** The environment key of the plugin hashes. */
    public static final String PLUGINS = "plugins";
    /** The data key of the data fingerprint. */
    public static final String DATA = "fingerprint";

    private static volatile String code;
    private static volatile Map<String, String> plugins = Map.of();
    private static final Map<String, String> FILES = new ConcurrentHashMap<>();

    private Provenance() {
    }

    /** The code version of this process (computed once). */
    public static String code() {
        String c = code;
        if (c == null) {
            c = computeCode();
            code = c;
        }
        return c;
    }

    private static String computeCode() {
        String fixed = System.getProperty("cambench.code");
        if (fixed != null && !fixed.isBlank()) {
            return fixed.strip();
        }
        String repo = System.getProperty("cambench.repo");
        if (repo != null && Files.exists(Paths.get(repo, ".git"))) {
            String commit = git(repo, "rev-parse", "HEAD");
            String status = git(repo, "status", "--porcelain", "--untracked-files=no");
            if (commit != null && commit.matches("[0-9a-f]{40}") && status != null) {
                return "git:" + commit + (status.isBlank() ? "" : "-dirty-" + buildHash());
            }
        }
        return "build:" + buildHash();
    }

    private static String git(String repo, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * A hash over cambench's own classes on this process's class path: every {@code classes}
     * folder (relative paths and contents), or, when there is none, the entries of the
     * {@code cambench-*.jar} files (names and contents, so that repacking does not change it).
     */
    public static String buildHash() {
        List<Path> dirs = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Paths.get(entry);
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (Files.isDirectory(p) && name.equals("classes")) {
                dirs.add(p);
            } else if (Files.isRegularFile(p) && name.startsWith("cambench-") && name.endsWith(".jar")) {
                jars.add(p);
            }
        }
        MessageDigest md = sha256();
        try {
            if (!dirs.isEmpty()) {
                for (Path d : dirs) {
                    hashTree(md, d);
                }
            } else {
                for (Path j : jars) {
                    hashJarEntries(md, j);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the build on the class path", e);
        }
        return hex(md);
    }

    /**
     * Records the plugins of this process: {@code NAME=HASH} for each jar (its bytes) or class
     * folder (its tree), as listed by {@code --plugins}.
     */
    public static void setPlugins(List<Path> paths) {
        Map<String, String> found = new TreeMap<>();
        try {
            for (Path p : paths) {
                if (Files.isRegularFile(p)) {
                    found.put(p.getFileName().toString(), fileHash(p));
                } else if (Files.isDirectory(p)) {
                    List<Path> inside;
                    try (Stream<Path> s = Files.list(p)) {
                        inside = s.filter(j -> j.toString().endsWith(".jar")).sorted().toList();
                    }
                    if (inside.isEmpty()) {
                        MessageDigest md = sha256();
                        hashTree(md, p);
                        found.put(p.getFileName() + "/", hex(md));
                    }
                    for (Path j : inside) {
                        found.put(j.getFileName().toString(), fileHash(j));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash plugin " + paths, e);
        }
        plugins = Map.copyOf(found);
    }

    /** The plugins of this process as {@code NAME=HASH,...} (sorted), empty when none. */
    public static String plugins() {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(plugins).forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=')
                .append(v));
        return b.toString();
    }

    /** Adds the code version and, when there are plugins, their hashes to a record's environment. */
    static void describe(Map<String, String> env) {
        env.put(CODE, code());
        String p = plugins();
        if (!p.isEmpty()) {
            env.put(PLUGINS, p);
        }
    }

    /**
     * Why a record's environment is not from this code, or null when it is: another code
     * version, or a plugin of the same name loaded now with another hash.
     */
    public static String staleReason(Map<String, String> env) {
        String recorded = env == null ? null : env.get(CODE);
        if (!code().equals(recorded)) {
            return "code " + (recorded == null ? "unknown" : recorded) + ", now " + code();
        }
        String was = env.get(PLUGINS);
        if (was != null && !was.isEmpty()) {
            for (String item : was.split(",")) {
                int eq = item.indexOf('=');
                String now = eq < 0 ? null : plugins.get(item.substring(0, eq));
                if (now != null && !now.equals(item.substring(eq + 1))) {
                    return "plugin " + item + ", now " + now;
                }
            }
        }
        return null;
    }

    /**
     * A cheap fingerprint of the data behind {@code source} (a data set description's source):
     * a folder or file, or {@code A split B} of two, is hashed over relative paths, sizes and
     * modification times; anything else is generated data, hashed over {@code spec} and
     * {@code source}, plus the font files for rendered glyphs.
     */
    public static String data(String spec, String source) {
        String[] parts = source.split(" split ");
        boolean files = true;
        for (String part : parts) {
            files &= !part.isBlank() && Files.exists(Paths.get(part.strip()));
        }
        if (files) {
            StringBuilder b = new StringBuilder("files");
            for (String part : parts) {
                b.append(':').append(files(Paths.get(part.strip())));
            }
            return b.toString();
        }
        MessageDigest md = sha256();
        md.update((spec + "\n" + source + "\n").getBytes(StandardCharsets.UTF_8));
        if (source.contains("DejaVu") && Files.isDirectory(GlyphSet.DEJAVU_DIR)) {
            md.update(files(GlyphSet.DEJAVU_DIR).getBytes(StandardCharsets.UTF_8));
        }
        return "generated:" + hex(md);
    }

    /** Hash over relative paths, sizes and modification times of the files under {@code root}, cached. */
    static String files(Path root) {
        return FILES.computeIfAbsent(root.toAbsolutePath().normalize().toString(), k -> {
            MessageDigest md = sha256();
            Path base = Paths.get(k);
            try (Stream<Path> walk = Files.walk(base, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
                Map<String, String> lines = new TreeMap<>();
                for (Path f : (Iterable<Path>) walk::iterator) {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        lines.put(base.relativize(f).toString(), a.size() + "\t" + a.lastModifiedTime().toMillis());
                    }
                }
                lines.forEach((p, v) -> md.update((p + "\t" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list data files under " + base, e);
            }
            return hex(md);
        });
    }

    /** SHA-256 of a file's bytes, 16 hex digits. */
    public static String fileHash(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return hex(md);
    }

    private static void hashTree(MessageDigest md, Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            md.update((root.relativize(f).toString().replace('\\', '/') + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(f));
        }
    }

    private static void hashJarEntries(MessageDigest md, Path jar) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (!e.isDirectory() && !e.getName().startsWith("META-INF/")) {
                    entries.put(e.getName(), zip.readAllBytes());
                }
            }
        }
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            md.update((e.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(e.getValue());
        }
    }

    /** A SHA-256 digest (every JVM has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest(), 0, 8);
    }

    /** Every stale record's reason by key, in key order (see {@link #staleReason}). */
    public static Map<String, String> stale(List<cambench.results.record.RunRecord> records) {
        Map<String, String> out = new LinkedHashMap<>();
        records.stream().sorted(java.util.Comparator.comparing(cambench.results.record.RunRecord::key))
                .forEach(r -> {
                    String why = staleReason(r.environment());
                    if (why != null) {
                        out.put(r.key(), why);
                    }
                });
        return out;
    }
}
