package cambench.protocols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cambench.api.ObjectiveInstance;
import cambench.api.Objectives;
import cambench.harness.data.Batch;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.ImageSet;
import cambench.harness.engine.EngineSetup;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.harness.train.ProgressLine;
import cambench.harness.train.Regularization;
import cambench.harness.train.Trainer;
import cambench.results.record.Recipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every built-in objective and regularizer trains the same with the garbage collector run and freed
 * native memory overwritten between the forward and the backward pass: the backward pass reads no
 * memory that Java may already have freed (the cause of the rare blow-ups, see
 * {@link cambench.api.Scalars}). Two networks with the same seed take the same steps on the same
 * batches, one plainly, one with that disturbance before each backward pass; their losses and
 * parameters must be bit-identical.
 */
@Tag("engine")
class FreedMemoryEngineTest {
    private static final int STEPS = 2;
    /** Keeps the poison buffers alive until the step has finished. */
    private static final List<ByteBuffer> POISON = new ArrayList<>();

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(1);
    }

    /**
     * Runs the collector until unreachable direct buffers are freed, then allocates many direct
     * buffers of the sizes small tensors have and fills them with NaN, so that memory malloc hands
     * back after a free is overwritten: a backward pass that reads freed memory then sees NaN.
     */
    static void collectAndPoison() {
        for (int round = 0; round < 2; round++) {
            System.gc();
            try {
                Thread.sleep(25); // the reference handler frees the buffers of collected ByteBuffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int bytes = 4; bytes <= 1 << 16; bytes *= 2) {
            for (int k = 0; k < 64; k++) {
                ByteBuffer b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(Float.NaN);
                }
                POISON.add(b);
            }
        }
    }

    /** One row per built-in objective (distillers with a teacher) and per regularizer. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "ce,,", "cam,,", "center,,", "lsoftmax,,", "smsoftmax,,", "negcam,,",
        "kd,,teacher", "at,,teacher", "ccm,,teacher", "catkd,,teacher",
        "ce,cutmix,", "cam,cutmix,", "ce,mixup,", "cam,manifold_mixup,", "ce,cutout,",
        "ce,shakedrop,", "ce,stochdepth,", "ce,dropblock,"})
    void step_withCollectorAndPoisonBeforeBackward_isBitIdentical(String objective, String regularizer,
            String teacher) {
        Map<String, String> params = objective.equals("catkd") ? Map.of("beta", "2")
                : objective.equals("lsoftmax") ? Map.of("lambda", "5") : Map.of();
        Map<String, String> regularizerValues = "cutmix".equals(regularizer) ? Map.of("cutmix.prob", "1") : Map.of();
        List<Batch> batches = batches();
        Result plain = train(objective, params, regularizer, regularizerValues, teacher != null, batches, () -> { });
        Result disturbed = train(objective, params, regularizer, regularizerValues, teacher != null, batches,
                FreedMemoryEngineTest::collectAndPoison);
        POISON.clear();
        assertArrayEquals(plain.losses, disturbed.losses, "losses of " + objective);
        assertEquals(plain.parameters.size(), disturbed.parameters.size());
        for (String name : plain.parameters.keySet()) {
            assertArrayEquals(plain.parameters.get(name), disturbed.parameters.get(name),
                    objective + (regularizer == null ? "" : "+" + regularizer) + ": parameter " + name
                            + " after " + STEPS + " steps");
        }
    }

    private record Result(double[] losses, Map<String, float[]> parameters) {
    }

    /** The first {@link #STEPS} training batches, copied out of the loader's reusable buffers. */
    private static List<Batch> batches() {
        ImageSet data = ObjectiveStateEngineTest.images();
        BatchLoader loader = BatchLoader.builder().setData(data).setBatchSize(8).optShuffle(true).optSeed(3)
                .optDropLast(true).build();
        List<Batch> out = new ArrayList<>();
        for (int e = 0; out.size() < STEPS; e++) {
            try (BatchLoader.Epoch it = loader.epoch(e)) {
                while (it.hasNext() && out.size() < STEPS) {
                    Batch b = it.next();
                    out.add(new Batch(b.x().clone(), b.y().clone(), b.size(), b.channels(), b.height(), b.width()));
                }
            }
        }
        return out;
    }

    private static Result train(String objectiveName, Map<String, String> params, String regularizer,
            Map<String, String> regularizerValues, boolean withTeacher, List<Batch> batches, Runnable beforeBackward) {
        ImageSet data = ObjectiveStateEngineTest.images();
        BatchLoader train = BatchLoader.builder().setData(data).setBatchSize(8).optDropLast(true).build();
        BatchLoader test = BatchLoader.builder().setData(data).setBatchSize(8).build();
        Recipe recipe = new Recipe(1, 8, 0.05, 0.9, true, 5e-4, "constant", "none");
        Objectives objectives = Objectives.builtIn();
        ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(11); // the network-level gates draw from it
        ModelSpec spec = new ModelSpec(3, 8, 4, 0);
        try (NDManager manager = NDManager.newBaseManager();
                Network net = Models.create("resnet8", spec, 1, manager);
                ObjectiveInstance objective = objectives.create(objectiveName,
                        objectives.resolve(objectiveName, params), 4, net.backbone().featureChannels(),
                        net.store().manager())) {
            Network teacher = null;
            if (withTeacher) {
                teacher = Models.create("resnet8", spec, 7, manager);
                teacher.store().parameters().values().forEach(p -> p.setRequiresGradient(false));
            }
            List<Regularization> regularizers = regularizer == null ? List.of()
                    : Regularization.create(objectives.regularizers(), List.of(regularizer),
                            objectives.regularizers().resolve(List.of(regularizer), regularizerValues));
            Trainer trainer = new Trainer(net, objective, recipe, train, test, 1,
                    new ProgressLine(new PrintStream(OutputStream.nullOutputStream()), "test"), teacher, regularizers);
            double[] losses = new double[batches.size()];
            for (int i = 0; i < batches.size(); i++) {
                losses[i] = trainer.probeStep(batches.get(i), recipe.lr(), beforeBackward);
            }
            Map<String, float[]> weights = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : net.store().parameters().entrySet()) {
                weights.put(e.getKey(), e.getValue().toFloatArray());
            }
            return new Result(losses, weights);
        }
    }
}
