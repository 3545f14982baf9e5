package cambench.protocols.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cambench.api.Objectives;
import cambench.api.UserException;
import cambench.harness.datasets.DatasetCatalog;
import cambench.harness.engine.EngineSetup;
import cambench.harness.run.RunContext;
import cambench.protocols.classify.ClassificationProtocol;
import cambench.results.plan.Cell;
import cambench.results.record.EpochMetrics;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Pretraining keeps its weights; a fine-tune cell takes the backbone, in one process or from the saved file. */
@Tag("engine")
class FineTuneTest {
    private static final Recipe PRE = new Recipe(2, 16, 0.05, 0.9, false, 5e-4, "cosine", "none");
    private static final Recipe FT = new Recipe(2, 16, 0.01, 0.9, false, 5e-4, "cosine", "flip");
    private static final Cell PRETRAIN = new Cell("classification", "glyphs:classes=6,train=8,test=3,size=16,channels=3",
            "resnet8", "ce", Map.of(), PRE, 1);
    private static final Cell FINETUNE = new Cell(FineTuneProtocol.NAME,
            "glyphs:classes=4,train=8,test=3,size=16,channels=3,offset=30", "resnet8", "ce", Map.of(), FT, 1, PRETRAIN);

    private static RunContext context(Path out) {
        return new RunContext(new RunStore(out), new DatasetCatalog(null), Objectives.builtIn(), 2, Device.cpu(),
                new PrintStream(OutputStream.nullOutputStream()), "test");
    }

    private static List<Double> losses(RunRecord r) {
        return r.epochs().stream().map(EpochMetrics::trainLoss).toList();
    }

    @Test
    void fineTune_fromSavedBackbone_equalsFineTuneInOneProcess(@TempDir Path dir) throws Exception {
        EngineSetup.start(2);
        // one process: the pretraining cell runs first (a fine-tune cell refuses to train it itself)
        RunContext one = context(dir.resolve("one"));
        UserException early = assertThrows(UserException.class, () -> new FineTuneProtocol().run(FINETUNE, one));
        assertTrue(early.getMessage().contains("has no record yet"), early.getMessage());
        one.store().save(new ClassificationProtocol().run(PRETRAIN, one));
        RunRecord inOne = new FineTuneProtocol().run(FINETUNE, one);
        assertTrue(one.store().find(PRETRAIN).isPresent(), "the pretraining record is written");
        Path weights = Backbones.weightsPath(one.store(), PRETRAIN);
        assertTrue(Files.size(weights) > 1000);

        // another store: the pretraining's record and weights file copied in, then only fine-tuning runs
        RunContext two = context(dir.resolve("two"));
        two.store().save(one.store().find(PRETRAIN).orElseThrow());
        Files.createDirectories(Backbones.weightsPath(two.store(), PRETRAIN).getParent());
        Files.copy(weights, Backbones.weightsPath(two.store(), PRETRAIN));
        RunRecord reloaded = new FineTuneProtocol().run(FINETUNE, two);
        assertEquals(losses(inOne), losses(reloaded));
        assertEquals(inOne.metric("top1_error"), reloaded.metric("top1_error"));
        assertEquals(inOne.metric("pretrain_top1_error"), one.store().find(PRETRAIN).get().metric("top1_error"));

        // fine-tuning from random initialisation differs: the backbone really was taken
        RunContext scratch = context(dir.resolve("scratch"));
        RunRecord fromScratch = cambench.protocols.classify.ClassificationRun.run(
                new Cell("classification", FINETUNE.dataset(), "resnet8", "ce", Map.of(), FT, 1), scratch, null,
                net -> { }, Map.of());
        assertFalse(losses(fromScratch).equals(losses(inOne)));
    }

    @Test
    void backboneOfAnotherArchitecture_isOneLineErrorNamingBoth(@TempDir Path dir) {
        EngineSetup.start(2);
        RunContext c = context(dir);
        new ClassificationProtocol().run(PRETRAIN, c);
        Cell other = new Cell(FineTuneProtocol.USER_BACKBONE, Backbones.weightsPath(c.store(), PRETRAIN).toString(),
                "resnet14", "ce", Map.of(), PRE, 0);
        Cell ft = new Cell(FineTuneProtocol.NAME, FINETUNE.dataset(), "resnet14", "ce", Map.of(), FT, 1, other);
        UserException e = assertThrows(UserException.class, () -> new FineTuneProtocol().run(ft, c));
        assertTrue(e.getMessage().contains("model resnet8") && e.getMessage().contains("model resnet14"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Cell mismatched = new Cell(FineTuneProtocol.NAME, FINETUNE.dataset(), "resnet14", "ce", Map.of(), FT, 1,
                PRETRAIN);
        UserException m = assertThrows(UserException.class, () -> new FineTuneProtocol().run(mismatched, c));
        assertTrue(m.getMessage().contains("resnet14") && m.getMessage().contains("resnet8"), m.getMessage());
    }

    @Test
    void pyTorchStateDict_isReadAsABackbone_andCheckedAgainstTheModel(@TempDir Path dir) throws Exception {
        EngineSetup.start(2);
        // the harness's fixture from torch.save (tools/gen_torch_fixture.py): a state_dict of other arrays
        Path pt = dir.resolve("checkpoint.pt");
        Files.copy(Path.of("..", "harness", "src", "test", "resources", "fixtures", "torch", "checkpoint.pt"), pt);
        Cell user = new Cell(FineTuneProtocol.USER_BACKBONE, pt.toString(), "resnet8", "ce", Map.of(), PRE, 0);
        Cell ft = new Cell(FineTuneProtocol.NAME, FINETUNE.dataset(), "resnet8", "ce", Map.of(), FT, 1, user);
        UserException e = assertThrows(UserException.class, () -> new FineTuneProtocol().run(ft, context(dir)));
        assertEquals("backbone checkpoint.pt (model unknown (PyTorch state_dict)) does not fit model resnet8: array"
                + " conv1.weight is [4, 3, 3, 3] in the file, [16, 3, 3, 3] in the model", e.getMessage());
    }

    @Test
    void pyTorchStateDict_resnet8Backbone_landsInEveryArrayAndFineTunes(@TempDir Path dir) throws Exception {
        EngineSetup.start(2);
        // resnet8's backbone under torchvision-style names, float16, from torch.save (tools/gen_torch_fixture.py)
        Path pt = dir.resolve("resnet8_backbone.pt");
        try (java.io.InputStream in = FineTuneTest.class.getResourceAsStream("/fixtures/torch/resnet8_backbone.pt")) {
            Files.copy(in, pt);
        }
        cambench.harness.train.Checkpoint.Contents file = cambench.harness.train.TorchStateDict.read(pt);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
                cambench.harness.model.Network net = cambench.harness.model.Models.create("resnet8",
                        new cambench.harness.model.ModelSpec(3, 16, 4, 0), 1, m)) {
            int copied = Backbones.loadBackbone(pt, net);
            assertEquals(file.values().size(), copied, "every backbone array of the file, num_batches_tracked skipped");
            Map<String, ai.djl.ndarray.NDArray> arrays = Backbones.arrays(net);
            for (Map.Entry<String, float[]> e : file.values().entrySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue(),
                        arrays.get(e.getKey()).toFloatArray(), 0f, e.getKey());
            }
            assertTrue(arrays.containsKey("layer2.0.downsample.1.running_var"));
        }
        Cell user = new Cell(FineTuneProtocol.USER_BACKBONE, pt.toString(), "resnet8", "ce", Map.of(), PRE, 0);
        Cell ft = new Cell(FineTuneProtocol.NAME, FINETUNE.dataset(), "resnet8", "ce", Map.of(), FT, 1, user);
        RunRecord r = new FineTuneProtocol().run(ft, context(dir.resolve("out")));
        assertEquals(2, r.epochs().size());
        assertTrue(Double.isFinite(r.metric("top1_error")), r.metrics().toString());
    }
}
