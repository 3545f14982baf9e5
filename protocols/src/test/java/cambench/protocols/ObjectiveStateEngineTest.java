package cambench.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveContext;
import cambench.api.ObjectiveInstance;
import cambench.api.ObjectiveProvider;
import cambench.api.Objectives;
import cambench.api.StepOutputs;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.ImageSet;
import cambench.harness.data.PixelStore;
import cambench.harness.engine.EngineSetup;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.harness.train.ProgressLine;
import cambench.harness.train.TrainResult;
import cambench.harness.train.Trainer;
import cambench.results.record.Recipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An objective's own arrays across training steps ({@link Trainer} with an {@link ObjectiveInstance}):
 * a constant made in create() but not listed in state() survives every step, and what ops on the
 * objective's arrays leave behind is freed. (Here rather than in harness: training seeds PyTorch's
 * generator, which would change the random inputs of the harness model tests in the same JVM.)
 */
@Tag("engine")
class ObjectiveStateEngineTest {
    private static final int CLASSES = 4;
    private static final int IMAGES = 16;
    private static final int BATCH = 8;
    private static final int EPOCHS = 3;

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
    }

    /** CE on logits scaled by a constant (not state), counting its steps in a state array. */
    static final class ScaledCe implements Objective {
        final NDManager manager;
        final NDArray scale;
        final NDArray steps;

        ScaledCe(ObjectiveContext context) {
            manager = context.manager();
            scale = manager.create(0.5f);
            steps = manager.zeros(new Shape(1));
        }

        @Override
        public LossTerms terms(StepOutputs out) {
            // scale.stopGradient() is an op on the objective's own array: its result lands in its manager
            return LossTerms.of("ce", CrossEntropy.of(out.logits().mul(scale.stopGradient()), out.oneHot()));
        }

        @Override
        public void afterStep(StepOutputs out) {
            steps.addi(scale.mul(2f));
        }

        @Override
        public Map<String, NDArray> state() {
            return Map.of("steps", steps);
        }
    }

    static final class ScaledCeProvider extends ObjectiveProvider {
        ScaledCeProvider() {
            super("scaled_ce", Kind.LOSS, "CE on logits scaled by a constant", List.of(), ScaledCe::new);
        }
    }

    static ImageSet images() {
        int bytes = 3 * 8 * 8;
        PixelStore pixels = PixelStore.allocate(IMAGES, bytes);
        byte[] image = new byte[bytes];
        int[] labels = new int[IMAGES];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            names.add("c" + k);
        }
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = i % CLASSES;
            for (int p = 0; p < bytes; p++) {
                image[p] = (byte) ((labels[i] * 60 + p * 7 + i) & 0xFF);
            }
            pixels.setImage(i, image, 0);
        }
        return new ImageSet("ramp", names, labels, 3, 8, 8, pixels);
    }

    @Test
    void train_constantNotInState_survivesEveryStepAndStraysAreFreed(@TempDir Path dir) {
        ImageSet data = images();
        BatchLoader train = BatchLoader.builder().setData(data).setBatchSize(BATCH).optShuffle(true).optSeed(1)
                .optDropLast(true).build();
        BatchLoader test = BatchLoader.builder().setData(data).setBatchSize(BATCH).build();
        Recipe recipe = new Recipe(EPOCHS, BATCH, 0.05, 0.9, false, 5e-4, "constant", "none");
        Objectives objectives = Objectives.of(List.of(new ScaledCeProvider()));
        try (NDManager manager = NDManager.newBaseManager();
                Network net = Models.create("resnet8", new ModelSpec(3, 8, CLASSES, 0), 1, manager);
                ObjectiveInstance objective = objectives.create("scaled_ce", objectives.resolve("scaled_ce", Map.of()),
                        CLASSES, net.backbone().featureChannels(), net.store().manager())) {
            Trainer trainer = new Trainer(net, objective, recipe, train, test, 1,
                    new ProgressLine(new PrintStream(OutputStream.nullOutputStream()), "test"));
            TrainResult result = trainer.run(dir.resolve("checkpoint"));

            ScaledCe own = (ScaledCe) objective.objective();
            int steps = EPOCHS * IMAGES / BATCH;
            assertEquals(EPOCHS, result.epochs().size());
            assertFalse(own.scale.isReleased(), "the constant made in create() is still open");
            assertEquals(0.5f, own.scale.getFloat(), 0f);
            assertEquals(steps, own.steps.getFloat(), 1e-6f, "afterStep ran once per step on live state");
            assertEquals(2, own.manager.getManagedArrays().size(), "only the constant and the state remain");
        }
    }
}
