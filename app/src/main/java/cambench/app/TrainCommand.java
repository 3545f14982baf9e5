package cambench.app;

import cambench.api.Objectives;
import cambench.api.Params;
import cambench.harness.run.CellRunner;
import cambench.harness.run.Protocols;
import cambench.harness.run.RunContext;
import cambench.results.plan.Cell;
import cambench.results.record.Recipe;
import cambench.results.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cambench train}: one classification cell, outside any table. */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Train one cell (data set x model x objective x seed) into a run store.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "glyphs:classes=10,train=50,test=20", description = "data set spec")
    String dataset;

    @Option(names = "--model", defaultValue = "resnet8", description = "architecture (cambench list models)")
    String model;

    @Option(names = "--objective", defaultValue = "ce", description = "objective (cambench list objectives)")
    String objective;

    @Option(names = "--epochs", defaultValue = "5")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.1")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9")
    double momentum;

    @Option(names = "--nesterov", defaultValue = "false")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "5e-4")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, constant or multistep:0.5,0.75")
    String schedule;

    @Option(names = "--augment", defaultValue = "crop32:4,flip", description = "training augmentation spec")
    String augment;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--regularizers", split = ",", paramLabel = "NAME",
            description = "regularizers in the order they apply, e.g. cutmix,shakedrop (cambench list regularizers);"
                    + " their parameters through --param NAME.PARAM=VALUE")
    List<String> regularizers = new ArrayList<>();

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "fine-tune: start from the backbone of this weights file, a cambench .params or a PyTorch"
                    + " state_dict saved with torch.save (docs/transfer.md); new classifier, whole network trained")
    java.nio.file.Path backbone;

    @Mixin
    RunOptions run;

    @Mixin
    EngineOptions engine;

    @Mixin
    PluginOptions plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClassLoader loader = plugins.loader();
        Objectives objectives = plugins.objectives(loader);
        Recipe recipe = new Recipe(epochs, batchSize, lr, momentum, nesterov, weightDecay, schedule, augment);
        Map<String, String> objectiveParams = new java.util.LinkedHashMap<>();
        Map<String, String> regularizerParams = new java.util.LinkedHashMap<>();
        run.params.forEach((k, v) -> {
            int dot = k.indexOf('.');
            if (dot > 0 && regularizers.contains(k.substring(0, dot))) {
                regularizerParams.put(k, v);
            } else {
                objectiveParams.put(k, v);
            }
        });
        Map<String, String> resolved = Params.resolve(objective, objectives.provider(objective).parameters(),
                objectiveParams).asMap();
        Protocols protocols = new Protocols(loader);
        Map<String, String> settings = Params.resolve("protocol classification", protocols.settings("classification"),
                run.settings).asMap();
        Cell cell = new Cell("classification", dataset, model, objective, resolved, recipe, seed, null, settings)
                .withRegularizers(regularizers, objectives.regularizers().resolve(regularizers, regularizerParams));
        if (backbone != null) {
            cell = fineTuneFrom(cell, backbone);
        }
        RunStore store = new RunStore(run.out);
        RunContext context = new RunContext(store, run.catalog(), objectives, engine.threads,
                engine.start(), ProgressStream.over(spec.commandLine().getErr()), "");
        new CellRunner(protocols, context).runOne(cell, 0, 1);
        spec.commandLine().getOut().println(store.recordPath(cell));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * The fine-tune cell of {@code cell} whose pretraining is a user's weights file: a dependency of
     * protocol {@code backbone-file} (never run) whose data set field is the file and whose
     * parameters hold its SHA-256, so the cell key follows the file's content.
     */
    static Cell fineTuneFrom(Cell cell, java.nio.file.Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new cambench.api.UserException("--backbone " + file + ": no such file");
        }
        String sha;
        try {
            sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.nio.file.Files.readAllBytes(file)));
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new cambench.api.UserException("--backbone " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        Cell pre = new Cell("backbone-file", file.toAbsolutePath().toString(), cell.model(), "none",
                Map.of("sha256", sha), cell.recipe(), 0);
        return new Cell("finetune", cell.dataset(), cell.model(), cell.objective(), cell.params(), cell.recipe(),
                cell.seed(), pre, cell.settings(), cell.regularizers(), cell.regularizerParams());
    }
}
