package cambench.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveInstance;
import cambench.api.ObjectiveProvider;
import cambench.api.Objectives;
import cambench.api.StepOutputs;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.ImageSet;
import cambench.harness.engine.EngineSetup;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.harness.train.ProgressLine;
import cambench.harness.train.Trainer;
import cambench.harness.train.TrainingDivergedException;
import cambench.results.record.Recipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A NaN put into the weights after the very last step fails the run as non-finite logits: no result. */
@Tag("engine")
class NanLastStepEngineTest {
    private static final int EPOCHS = 2;
    private static final int STEPS = EPOCHS * 16 / 8;

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
    }

    /** CE whose afterStep poisons the classifier weights at the last step (loss was finite). */
    static final class PoisonLast implements Objective {
        int steps;

        @Override
        public LossTerms terms(StepOutputs out) {
            return LossTerms.of("ce", CrossEntropy.of(out.logits(), out.oneHot()));
        }

        @Override
        public void afterStep(StepOutputs out) {
            if (++steps == STEPS) {
                NDArray w = out.weight();
                try (NDArray nan = w.getManager().full(w.getShape(), Float.NaN)) {
                    w.set(new NDIndex("..."), nan);
                }
            }
        }
    }

    static final class PoisonProvider extends ObjectiveProvider {
        PoisonProvider() {
            super("poison_last", Kind.LOSS, "CE, then NaN weights after the last step", List.of(),
                    c -> new PoisonLast());
        }
    }

    @Test
    void nanAfterTheLastStep_failsAsNonFiniteLogits(@TempDir Path dir) {
        ImageSet data = ObjectiveStateEngineTest.images();
        BatchLoader train = BatchLoader.builder().setData(data).setBatchSize(8).optShuffle(true).optSeed(1)
                .optDropLast(true).build();
        BatchLoader test = BatchLoader.builder().setData(data).setBatchSize(8).build();
        Recipe recipe = new Recipe(EPOCHS, 8, 0.05, 0.9, false, 5e-4, "constant", "none");
        Objectives objectives = Objectives.of(List.of(new PoisonProvider()));
        try (NDManager manager = NDManager.newBaseManager();
                Network net = Models.create("resnet8", new ModelSpec(3, 8, 4, 0), 1, manager);
                ObjectiveInstance objective = objectives.create("poison_last",
                        objectives.resolve("poison_last", Map.of()), 4, net.backbone().featureChannels(),
                        net.store().manager())) {
            Trainer trainer = new Trainer(net, objective, recipe, train, test, 1,
                    new ProgressLine(new PrintStream(OutputStream.nullOutputStream()), "test"));
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.run(dir.resolve("checkpoint")));
            assertEquals("non_finite_logits", e.kind());
            assertEquals(EPOCHS, e.epoch());
            assertTrue(e.getMessage().contains("non-finite logits"), e.getMessage());
        }
    }
}
