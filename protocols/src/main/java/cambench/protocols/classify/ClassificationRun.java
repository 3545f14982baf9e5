package cambench.protocols.classify;

import cambench.api.ParamSpec;

import ai.djl.ndarray.NDManager;
import cambench.harness.data.Augmentation;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.ImageSet;
import cambench.harness.data.Normalization;
import cambench.harness.datasets.DataSplit;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.api.ObjectiveInstance;
import cambench.api.Objectives;
import cambench.api.Params;
import cambench.harness.run.Environment;
import cambench.harness.run.RunContext;
import cambench.harness.train.ProgressLine;
import cambench.harness.train.TrainResult;
import cambench.harness.train.Regularization;
import cambench.harness.train.Trainer;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Trains one network for a cell and turns the outcome into a run record; shared by the
 * classification, teacher and distillation protocols.
 *
 * <p>Inputs are normalised with the training set's per-channel mean and std; training batches
 * use the recipe's augmentation and drop the last partial batch; the test set is evaluated in
 * full after every epoch, and the last epoch's error is the result (never the best epoch).
 */
public final class ClassificationRun {
    private ClassificationRun() {
    }

    /**
     * The settings of every protocol that trains a network through this class (classification,
     * teacher, distillation): dropout, which the paper's recipes leave at 0.
     */
    public static final List<ParamSpec> SETTINGS = List.of(ParamSpec.of("dropout", 0.0,
            "dropout rate inside architectures that have one (Wide ResNet blocks); 0 = off"));

    /**
     * The dropout rate {@code cell} asks for.
     *
     * @throws cambench.api.UserException for a rate outside [0, 1), or a rate above 0 for an
     *     architecture without dropout (it would silently do nothing)
     */
    public static double dropout(Cell cell) {
        Map<String, String> own = cell.settings().containsKey("dropout")
                ? Map.of("dropout", cell.settings().get("dropout")) : Map.of();
        Params settings = Params.resolve("protocol " + cell.protocol(), SETTINGS, own);
        double rate = settings.atLeast("dropout", 0);
        if (rate >= 1) {
            throw settings.invalid("dropout", "below 1");
        }
        if (rate > 0 && !Models.hasDropout(cell.model())) {
            throw new cambench.api.UserException("setting 'dropout' is " + rate + " but model " + cell.model()
                    + " has no dropout (only Wide ResNets do); leave it at 0");
        }
        return rate;
    }

    /**
     * Trains the cell's model with its objective.
     *
     * @param teacher (manager, model spec) to a fixed teacher network, or null
     * @param onTrained called with the trained network before it is freed (e.g. to keep weights)
     * @param extraMetrics metrics added to the record (e.g. the teacher's own error)
     */
    public static RunRecord run(Cell cell, RunContext context, BiFunction<NDManager, ModelSpec, Network> teacher,
            Consumer<Network> onTrained, Map<String, Double> extraMetrics) {
        return run(cell, context, teacher, net -> { }, onTrained, extraMetrics);
    }

    /**
     * Trains the cell's model with its objective, first initialising the new network with
     * {@code onCreated} (e.g. a pretrained backbone; a checkpoint of this cell, if any, is restored
     * over it afterwards).
     */
    public static RunRecord run(Cell cell, RunContext context, BiFunction<NDManager, ModelSpec, Network> teacher,
            Consumer<Network> onCreated, Consumer<Network> onTrained, Map<String, Double> extraMetrics) {
        String started = Instant.now().toString();
        DataSplit data = context.catalog().load(cell.dataset());
        ImageSet train = data.train();
        Normalization norm = Normalization.of(train);
        Augmentation trainAug = Augmentation.parse(cell.recipe().augment(), norm);
        boolean dropLast = train.count() > cell.recipe().batchSize();
        BatchLoader trainBatches = BatchLoader.builder().setData(train).setBatchSize(cell.recipe().batchSize())
                .optAugmentation(trainAug).optSeed(cell.seed()).optShuffle(true).optDropLast(dropLast).build();
        BatchLoader testBatches = BatchLoader.builder().setData(data.test()).setBatchSize(256)
                .optAugmentation(Augmentation.parse(data.testAugment(), norm)).optShuffle(false).build();
        int[] shape = trainBatches.sampleShape();
        ModelSpec spec = new ModelSpec(shape[0], shape[1], train.classCount(), dropout(cell));
        Objectives objectives = context.objectives();
        Params params = objectives.resolved(cell.objective(), cell.params());
        try (NDManager manager = NDManager.newBaseManager(context.device());
                Network net = Models.create(cell.model(), spec, cell.initSeed(), manager);
                ObjectiveInstance objective = objectives.create(cell.objective(), params, train.classCount(),
                        net.backbone().featureChannels(), net.store().manager())) {
            onCreated.accept(net);
            Network teacherNet = teacher == null ? null : teacher.apply(manager, spec);
            Trainer trainer = new Trainer(net, objective, cell.recipe(), trainBatches, testBatches, cell.seed(),
                    new ProgressLine(context.log(), context.title()), teacherNet, Regularization.create(
                            objectives.regularizers(), cell.regularizers(), cell.regularizerParams()))
                    .allowDivergence(cell.allowsDivergence());
            TrainResult result = trainer.run(context.store().checkpointPath(cell));
            onTrained.accept(net);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("top1_error", result.top1Error());
            metrics.put("top1_acc", 100 - result.top1Error());
            metrics.put("top5_error", result.top5Error());
            metrics.put("parameters", (double) net.store().parameterCount());
            metrics.putAll(extraMetrics);
            Map<String, String> dataInfo = new LinkedHashMap<>(data.description());
            dataInfo.put("normalization", norm.toString());
            dataInfo.put("test_augment", data.testAugment());
            dataInfo.put("drop_last", Boolean.toString(dropLast));
            dataInfo.put("init_seed", Long.toString(cell.initSeed()));
            return new RunRecord(RunRecord.FORMAT, cell.key(), cell, metrics, result.epochs(), dataInfo,
                    Environment.describe(context.threads(), context.device().toString(), trainer.inferencePath()),
                    started, Instant.now().toString(), result.seconds(), result.resumedFromEpoch(), Map.of(),
                    result.health());
        }
    }
}
