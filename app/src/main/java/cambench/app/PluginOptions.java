package cambench.app;

import cambench.api.Objectives;
import cambench.api.UserException;
import cambench.harness.run.Provenance;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code --plugins}: jars (or folders of jars, or class folders) with extra objectives. */
public final class PluginOptions {
    @Option(names = "--plugins", split = ",", paramLabel = "PATH",
            description = "plugin jar(s), folder(s) of jars or class folders, comma separated")
    List<Path> plugins = new ArrayList<>();

    /** {@code --plugins} with absolute paths, for a child command; empty without plugins. */
    List<String> forwarded() {
        return plugins.isEmpty() ? List.of() : List.of("--plugins=" + String.join(",",
                plugins.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()));
    }

    /** A class loader that sees the built-ins and every plugin. */
    ClassLoader loader() {
        ClassLoader parent = PluginOptions.class.getClassLoader();
        Provenance.setPlugins(plugins); // for the records of this command (none: no plugins entry)
        if (plugins.isEmpty()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (Path p : plugins) {
            if (!Files.exists(p)) {
                throw new UserException("--plugins " + p + ": no such file or folder");
            }
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> jars = Files.list(p)) {
                        List<Path> found = jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList();
                        if (found.isEmpty()) {
                            urls.add(p.toUri().toURL());
                        }
                        for (Path j : found) {
                            urls.add(j.toUri().toURL());
                        }
                    }
                } else {
                    urls.add(p.toUri().toURL());
                }
            } catch (MalformedURLException e) {
                throw new UserException("--plugins " + p + ": bad path", e);
            } catch (IOException e) {
                throw new UserException("--plugins " + p + ": cannot list (" + e.getMessage() + ")", e);
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), parent);
    }

    /** The objective registry over built-ins and plugins; a plugin that fails to load names its jar. */
    Objectives objectives() {
        return objectives(loader());
    }

    /** The objective registry over what {@code loader} (from {@link #loader()}) sees. */
    Objectives objectives(ClassLoader loader) {
        try {
            return Objectives.load(loader);
        } catch (UserException e) {
            throw plugins.isEmpty() ? e : new UserException(e.getMessage() + " (from --plugins " + plugins + ")", e);
        }
    }
}
