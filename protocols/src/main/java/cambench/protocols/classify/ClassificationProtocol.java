package cambench.protocols.classify;

import ai.djl.ndarray.NDManager;
import cambench.harness.data.Augmentation;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.ImageSet;
import cambench.harness.data.Normalization;
import cambench.harness.datasets.DataSplit;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.harness.plugin.Objective;
import cambench.harness.run.Environment;
import cambench.harness.run.Protocol;
import cambench.harness.run.RunContext;
import cambench.harness.train.ProgressLine;
import cambench.harness.train.TrainResult;
import cambench.harness.train.Trainer;
import cambench.results.record.Cell;
import cambench.results.record.RunRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Image classification (paper Tables 1, 3, 4): train a network with the cell's objective and
 * recipe, report the final test top-1 / top-5 error.
 *
 * <p>Inputs are normalised with the training set's per-channel mean and std; training batches
 * use the recipe's augmentation and drop the last partial batch; the test set is evaluated in
 * full after every epoch, and the last epoch's error is the result (never the best epoch).
 */
public final class ClassificationProtocol implements Protocol {

    @Override
    public String name() {
        return "classification";
    }

    @Override
    public RunRecord run(Cell cell, RunContext context) {
        String started = Instant.now().toString();
        DataSplit data = context.catalog().load(cell.dataset());
        ImageSet train = data.train();
        Normalization norm = Normalization.of(train);
        Augmentation trainAug = Augmentation.parse(cell.recipe().augment(), norm);
        Augmentation testAug = Augmentation.parse(data.testAugment(), norm);
        BatchLoader trainBatches = BatchLoader.builder().setData(train).setBatchSize(cell.recipe().batchSize())
                .optAugmentation(trainAug).optSeed(cell.seed()).optShuffle(true)
                .optDropLast(train.count() > cell.recipe().batchSize()).build();
        BatchLoader testBatches = BatchLoader.builder().setData(data.test()).setBatchSize(256)
                .optAugmentation(testAug).optShuffle(false).build();
        int[] shape = trainBatches.sampleShape();
        ModelSpec spec = new ModelSpec(shape[0], shape[1], train.classCount(), 0);
        try (NDManager manager = NDManager.newBaseManager(context.device());
                Network net = Models.create(cell.model(), spec, cell.seed(), manager)) {
            Objective objective = context.objectives().create(cell.objective(), cell.params(), train.classCount(),
                    net.backbone().featureChannels(), net.store().manager());
            Trainer trainer = new Trainer(net, objective, cell.recipe(), trainBatches, testBatches, cell.seed(),
                    new ProgressLine(context.log(), context.title()));
            TrainResult result = trainer.run(context.store().checkpointPath(cell));
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("top1_error", result.top1Error());
            metrics.put("top5_error", result.top5Error());
            metrics.put("parameters", (double) net.store().parameterCount());
            Map<String, String> dataInfo = new LinkedHashMap<>(data.description());
            dataInfo.put("normalization", norm.toString());
            dataInfo.put("test_augment", data.testAugment());
            dataInfo.put("drop_last", Boolean.toString(train.count() > cell.recipe().batchSize()));
            return new RunRecord(RunRecord.FORMAT, cell.key(), cell, metrics, result.epochs(), dataInfo,
                    Environment.describe(context.threads(), context.device().toString()), started,
                    Instant.now().toString(), result.seconds(), result.resumedFromEpoch());
        }
    }
}
