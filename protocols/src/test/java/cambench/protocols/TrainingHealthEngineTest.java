package cambench.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import cambench.api.CrossEntropy;
import cambench.api.LossTerms;
import cambench.api.Objective;
import cambench.api.ObjectiveProvider;
import cambench.api.Objectives;
import cambench.api.StepOutputs;
import cambench.harness.datasets.DatasetCatalog;
import cambench.harness.engine.EngineSetup;
import cambench.harness.run.CellRunner;
import cambench.harness.run.Protocols;
import cambench.harness.run.RunContext;
import cambench.protocols.classify.ClassificationProtocol;
import cambench.results.plan.Cell;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import cambench.results.record.TrainingHealth;
import cambench.results.store.RunStore;
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
 * A planted finite blow-up (a loss that jumps to 1e6 without any NaN) fails its cell with a reason,
 * as a non-finite loss does, while the worker goes on; the same cell in a row that allows
 * divergence is recorded with its health flagged; a healthy cell's record carries its health.
 */
@Tag("engine")
class TrainingHealthEngineTest {
    private static final String DATA = "glyphs:classes=4,train=4,test=2,size=16";
    private static final Recipe RECIPE = new Recipe(2, 8, 0.05, 0.9, false, 5e-4, "constant", "none");

    /** CE, plus a constant 1e6 from epoch 2 on: a finite jump of the loss with CE's gradient. */
    static final class SpikeFromEpochTwo implements Objective {
        @Override
        public LossTerms terms(StepOutputs out) {
            LossTerms t = LossTerms.of("ce", CrossEntropy.of(out.logits(), out.oneHot()));
            float spike = out.progress().epoch() >= 1 ? 1e6f : 0f;
            return t.add("spike", out.logits().getManager().create(spike));
        }
    }

    /** CE times NaN at iteration 3 (the first step of epoch 2): NaN loss and NaN gradients, then CE again. */
    static final class NanOnce implements Objective {
        @Override
        public LossTerms terms(StepOutputs out) {
            NDArray ce = CrossEntropy.of(out.logits(), out.oneHot());
            return LossTerms.of("ce", out.progress().iteration() == 3 ? ce.mul(Float.NaN) : ce);
        }
    }

    static final class NanProvider extends ObjectiveProvider {
        NanProvider() {
            super("nan_once", Kind.LOSS, "CE, NaN at iteration 3 (test only)", List.of(), c -> new NanOnce());
        }
    }

    static final class SpikeProvider extends ObjectiveProvider {
        SpikeProvider() {
            super("spike_epoch2", Kind.LOSS, "CE + 1e6 from epoch 2 (test only)", List.of(),
                    c -> new SpikeFromEpochTwo());
        }
    }

    @Test
    void plantedFiniteBlowUp_failsItsCell_allowedOneIsFlagged_healthyOneCarriesHealth(@TempDir Path out) {
        EngineSetup.start(2);
        List<ObjectiveProvider> providers = new ArrayList<>(Objectives.builtIn().all().values());
        providers.add(new SpikeProvider());
        providers.add(new NanProvider());
        RunStore store = new RunStore(out);
        RunContext context = new RunContext(store, new DatasetCatalog(null), Objectives.of(providers), 2,
                Device.cpu(), new PrintStream(OutputStream.nullOutputStream()), "test");
        Cell healthy = new Cell("classification", DATA, "resnet8", "ce", Map.of(), RECIPE, 1);
        Cell exploding = new Cell("classification", DATA, "resnet8", "spike_epoch2", Map.of(), RECIPE, 1);
        Cell allowed = exploding.withSettings(Map.of(Cell.ALLOW_DIVERGENCE, "true"));
        Cell nanAllowed = new Cell("classification", DATA, "resnet8", "nan_once", Map.of(), RECIPE, 1)
                .withSettings(Map.of(Cell.ALLOW_DIVERGENCE, "true"));
        CellRunner runner = new CellRunner(Protocols.of(new ClassificationProtocol()), context);

        runner.runAll(List.of(exploding, healthy, allowed, nanAllowed));

        assertEquals(3, runner.summary().ran(), "the worker goes on after the failed cell");
        assertEquals(1, runner.summary().failed());
        assertFalse(store.isDone(exploding), "no record for a blown-up cell");
        RunStore.Failure f = store.findFailure(exploding).orElseThrow();
        assertEquals("loss_blow_up", f.kind());
        assertEquals(2, f.epoch());
        // 16 images in batches of 8: the first step of epoch 2 is iteration 3, CE plus 1e6, against epoch 1's mean CE
        assertTrue(f.reason().startsWith("training blew up: loss 1.000e+06 at iteration 3 (epoch 2) is "), f.reason());
        assertTrue(f.reason().contains("x the first epoch's mean loss") && f.reason().contains("(limit 1000 x)"),
                f.reason());
        assertTrue(runner.failures().get(0).startsWith(exploding.fileName() + ": training blew up"),
                runner.failures().toString());

        TrainingHealth h = store.find(healthy).orElseThrow().health();
        assertEquals(0, h.nonFiniteSteps());
        assertEquals(4, h.classes());
        assertEquals(8, h.testImages());
        assertEquals(75.0, h.chanceError(), 1e-9);
        assertTrue(h.firstEpochLoss() > 0 && h.maxLossRatio() < 10, h.toString());
        assertEquals(TrainingHealth.Limits.DEFAULT, h.limits());
        assertFalse(h.allowDivergence());
        assertEquals("", h.divergence());

        RunRecord flagged = store.find(allowed).orElseThrow();
        assertTrue(flagged.health().allowDivergence());
        assertTrue(flagged.health().divergence().startsWith("loss_blow_up: training blew up: loss 1.000e+06"),
                flagged.health().divergence());
        assertTrue(flagged.healthFlags().contains(TrainingHealth.DIVERGED), flagged.healthFlags().toString());
        assertTrue(flagged.health().maxLossRatio() > 1e5, flagged.health().toString());

        // the NaN step is skipped with its NaN gradients discarded: the weights stay finite, training goes on
        RunRecord skipped = store.find(nanAllowed).orElseThrow();
        assertEquals(1, skipped.health().nonFiniteSteps());
        assertTrue(skipped.health().divergence().startsWith("diverged: training diverged: loss NaN at iteration 3"),
                skipped.health().divergence());
        assertTrue(Double.isFinite(skipped.epochs().get(1).trainLoss()), "epoch 2's mean is over its finite steps");
        assertTrue(Double.isFinite(skipped.metric("top1_error")));
    }
}
