package cambench.harness.run;

import ai.djl.Device;
import cambench.harness.datasets.DatasetCatalog;
import cambench.api.Objectives;
import cambench.results.store.RunStore;

import java.io.PrintStream;

/**
 * What a protocol needs besides its cell.
 *
 * @param store the run store (checkpoints)
 * @param catalog data sets
 * @param objectives objective registry (built-ins and plugins)
 * @param threads intra-op threads
 * @param device compute device
 * @param log where progress goes (standard error)
 * @param title prefix of progress lines, e.g. {@code [3/24] table3 cam resnet8 s1}
 */
public record RunContext(RunStore store, DatasetCatalog catalog, Objectives objectives, int threads, Device device,
        PrintStream log, String title) {

    /** The same context with another progress title. */
    public RunContext withTitle(String newTitle) {
        return new RunContext(store, catalog, objectives, threads, device, log, newTitle);
    }
}
