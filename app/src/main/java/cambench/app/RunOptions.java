package cambench.app;

import cambench.harness.data.ImageFiles;
import cambench.harness.datasets.DatasetCatalog;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of the commands that train cells into a run store ({@code train}, {@code reproduce}):
 * objective parameters, the folder of real data sets and the run store.
 */
public final class RunOptions {
    @Option(names = "--param", description = "objective parameter (repeatable): NAME=VALUE for train's objective,"
            + " e.g. alpha=2; OBJECTIVE.NAME=VALUE as an override in reproduce, e.g. cam.alpha=2")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--setting", description = "protocol setting (repeatable): NAME=VALUE, e.g. finetune_epochs=50"
            + " or dropout=0.3 (cambench list protocols); in reproduce it applies to every cell whose protocol takes it")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--data-root", description = "folder holding real data sets (cifar-10-batches-bin, ...)")
    Path dataRoot;

    @Option(names = "--out", required = true, description = "run store folder (records, checkpoints, report)")
    Path out;

    @Option(names = "--bad-images", defaultValue = "fail", description = "an unreadable image in a photo data set:"
            + " skip (reported once with its path, left out of its batch) or fail (one line naming it); a spec's"
            + " bad-images= option wins")
    String badImages;

    /**
     * These options (all but {@code --out}) as arguments of a child {@code reproduce} (a Slurm task, a
     * repeat run): settings, parameters, the data root made absolute, the bad-image policy.
     */
    List<String> forwarded() {
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> args.add("--setting=" + k + "=" + v));
        params.forEach((k, v) -> args.add("--param=" + k + "=" + v));
        if (dataRoot != null) {
            args.add("--data-root=" + dataRoot.toAbsolutePath().normalize());
        }
        args.add("--bad-images=" + badImages);
        return args;
    }

    /** The data set catalog over {@code --data-root} with the {@code --bad-images} policy. */
    DatasetCatalog catalog() {
        return new DatasetCatalog(dataRoot, ImageFiles.BadImages.parse(badImages, "--bad-images"));
    }
}
