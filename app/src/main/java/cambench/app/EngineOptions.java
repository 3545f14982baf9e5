package cambench.app;

import ai.djl.Device;
import cambench.harness.engine.EngineSetup;
import picocli.CommandLine.Option;
import java.util.List;

/** Options shared by every command that runs the engine. */
public final class EngineOptions {
    @Option(names = "--threads", description = "intra-op CPU threads (default: ${DEFAULT-VALUE})",
            defaultValue = "2")
    int threads;

    @Option(names = "--device", description = "cpu, gpu or gpu:<index> (gpu needs the `-Pcuda` build)",
            defaultValue = "cpu")
    String device;

    @Option(names = "--inference", description = "evaluation path: fused (BatchNorm folded into the convolutions,"
            + " oneDNN layout kept between layers, for backbones that support it; CPU) or eager"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "fused")
    String inference;

    /** The device and inference path with {@code threads} threads, as arguments of a child command. */
    List<String> forwarded(int threads) {
        return List.of("--threads=" + threads, "--device=" + device, "--inference=" + inference);
    }

    /** Starts the engine and returns the device. */
    Device start() {
        EngineSetup.setInference(inference);
        EngineSetup.start(threads);
        return EngineSetup.device(device);
    }
}
