package cambench.harness.run;

import cambench.harness.engine.Allocator;
import cambench.harness.engine.EngineSetup;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** The facts about this process that go into every run record. */
public final class Environment {
    private Environment() {
    }

    /**
     * Versions, host, threads, device, the evaluation path, and the code version and plugin hashes
     * ({@link Provenance}).
     *
     * @param inference the path the run's evaluation took ({@code Trainer.inferencePath()}); left out when ""
     */
    public static Map<String, String> describe(int threads, String device, String inference) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("cambench", versionOf(Environment.class, "0.1.0"));
        env.put("engine", EngineSetup.version());
        env.put("djl", versionOf(ai.djl.engine.Engine.class, "0.33.0"));
        env.put("java", System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("host", host());
        env.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("threads", Integer.toString(threads));
        env.put("device", device);
        env.put("graph_optimizer", "false");
        env.put("allocator", Allocator.name());
        if (!inference.isEmpty()) {
            env.put("inference", inference);
        }
        Provenance.describe(env);
        return env;
    }

    private static String versionOf(Class<?> c, String fallback) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? fallback : v;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
