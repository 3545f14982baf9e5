package cambench.harness.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import cambench.api.UserException;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Starts the PyTorch engine offline with cambench's settings: offline mode, a DJL cache under a
 * folder the project owns, the graph optimizer off, a fixed thread count.
 *
 * <p>Must run before the first DJL call of the process. The launcher also sets glibc's malloc
 * thresholds (they must be in the environment before the JVM starts).
 */
public final class EngineSetup {
    private static volatile Engine engine;
    private static volatile boolean fusedInference = true;

    private EngineSetup() {
    }

    /**
     * Configures and starts the engine once per process.
     *
     * @param threads intra-op threads (>= 1)
     * @return the engine
     */
    public static synchronized Engine start(int threads) {
        if (threads < 1) {
            throw new UserException("--threads must be >= 1, got " + threads);
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", defaultCache().toString());
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        if (engine == null) {
            engine = Engine.getEngine("PyTorch");
        }
        JniUtils.setNumThreads(threads);
        JniUtils.setGraphExecutorOptimize(false);
        // PyTorch starts with autograd recording on, and DJL's GradientCollector restores the mode it
        // found: off here, so evaluation, feature extraction and teacher passes build no graph.
        JniUtils.setGradMode(false);
        return engine;
    }

    /**
     * Chooses the evaluation path for the process: {@code fused} (default) lets {@code Inference}
     * use the oneDNN plan of backbones that have one, {@code eager} always runs the eager pass.
     *
     * @throws UserException for anything else
     */
    public static void setInference(String mode) {
        if (!"fused".equals(mode) && !"eager".equals(mode)) {
            throw new UserException("--inference must be fused or eager, got '" + mode + "'");
        }
        fusedInference = "fused".equals(mode);
    }

    /** Whether the fused evaluation path is allowed ({@link #setInference}). */
    public static boolean fusedInference() {
        return fusedInference;
    }

    /** The cache folder when neither DJL_CACHE_DIR nor the launcher sets one. */
    static Path defaultCache() {
        String repo = System.getProperty("cambench.repo");
        Path base = repo != null ? Paths.get(repo) : Paths.get(System.getProperty("user.home"), ".cambench");
        return base.resolve(".cache").resolve("djl");
    }

    /**
     * Parses {@code cpu}, {@code gpu} or {@code gpu:i}.
     *
     * @throws UserException for anything else, or a GPU this build or machine does not have
     */
    public static Device device(String spec) {
        if ("cpu".equals(spec)) {
            return Device.cpu();
        }
        if (spec != null && spec.matches("gpu(:\\d+)?")) {
            int id = spec.length() > 3 ? Integer.parseInt(spec.substring(4)) : 0;
            int gpus = Engine.getEngine("PyTorch").getGpuCount();
            if (id >= gpus) {
                throw new UserException("--device " + spec + ": this build/machine sees " + gpus
                        + " GPU(s); build with `mvn -Pcuda` (see README, GPU) or use --device cpu");
            }
            return Device.gpu(id);
        }
        throw new UserException("--device must be cpu, gpu or gpu:<index>, got '" + spec + "'");
    }

    /** The engine name and version, e.g. {@code PyTorch:2.5.1}, for run records. */
    public static String version() {
        return engine == null ? "not started" : engine.getEngineName() + ":" + engine.getVersion();
    }
}
