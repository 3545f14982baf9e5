package cambench.protocols.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cambench.harness.datasets.DatasetCatalog;
import cambench.harness.datasets.FewShotCatalog;
import cambench.harness.engine.EngineSetup;
import cambench.api.Objectives;
import cambench.harness.run.Protocols;
import cambench.harness.run.RunContext;
import cambench.api.UserException;
import cambench.results.plan.Cell;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** Few-shot cells end to end on tiny glyph splits: records, samples, determinism, both heads. */
@Tag("engine")
class FewShotProtocolTest {
    private static final String DATA = "fewshot-glyphs:base=6,val=2,novel=6,per=10,size=20";
    /** The episode shape of these tests: 12 episodes, 3 queries per class (5-way, 1 and 5 shots). */
    private static final Map<String, String> EPISODES = Map.of("episodes", "12", "query", "3");
    private static final Recipe RECIPE = new Recipe(1, 16, 1e-3, 0, false, 0, "constant", "crop20:2", "adam");

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
    }

    private static RunRecord run(String protocol, String objective, Path out) {
        return run(protocol, objective, out, Map.of());
    }

    private static RunRecord run(String protocol, String objective, Path out, Map<String, String> settings) {
        Objectives objectives = Objectives.builtIn();
        // one epoch: CAM-loss switched on from it (its default start, epoch 20, would leave the term off)
        Map<String, String> params = cambench.api.Params.resolve(objective, objectives.provider(objective).parameters(),
                objective.equals("cam") ? Map.of("start_epoch", "1") : Map.of()).asMap();
        Map<String, String> all = new java.util.HashMap<>(EPISODES);
        all.putAll(settings);
        Cell cell = new Cell(protocol, DATA, "conv4np", objective, params, RECIPE, 1, null, all);
        RunContext context = new RunContext(new RunStore(out), new DatasetCatalog(null), objectives, 2, Device.cpu(),
                new PrintStream(java.io.OutputStream.nullOutputStream()), "test");
        return new Protocols(FewShotProtocolTest.class.getClassLoader()).get(protocol).run(cell, context);
    }

    @Test
    void run_baselinePlusPlusCeAndCam_recordsPairedEpisodeSamples(@TempDir Path out) {
        RunRecord ce = run("fewshot-baseline++", "ce", out.resolve("a"));
        RunRecord cam = run("fewshot-baseline++", "cam", out.resolve("b"));
        for (RunRecord r : new RunRecord[] {ce, cam}) {
            assertEquals(12, r.samples().get("acc_1shot").size());
            assertEquals(12, r.samples().get("acc_5shot").size());
            double mean = r.samples().get("acc_5shot").stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertEquals(mean, r.metric("acc_5shot"), 1e-9);
            assertTrue(r.metric("acc_5shot") >= 0 && r.metric("acc_5shot") <= 100);
            assertEquals("baseline++", r.data().get("method"));
        }
        // the CAM row runs what its label says: conv4np keeps a 3x3 map at 20 px, so the term is live
        assertTrue(cam.epochs().get(cam.epochs().size() - 1).terms().get("cam") > 0, cam.epochs().toString());
        RunRecord again = run("fewshot-baseline++", "ce", out.resolve("c"));
        assertEquals(ce.samples(), again.samples(), "same cell, same seed: identical episodes and accuracies");
    }

    @Test
    void run_settings_reachTheFineTunerAndTheRecord(@TempDir Path out) {
        RunRecord defaults = run("fewshot-baseline++", "ce", out.resolve("a"));
        RunRecord changed = run("fewshot-baseline++", "ce", out.resolve("b"),
                Map.of("finetune_epochs", "3", "cosine_scale", "7.5"));
        assertTrue(defaults.data().get("finetune").startsWith("epochs=100,batch=4,sgd lr=0.01"), defaults.data().toString());
        assertTrue(changed.data().get("finetune").startsWith("epochs=3,batch=4,"), changed.data().toString());
        assertEquals("7.5", changed.data().get("cosine_scale_test"));
        assertEquals("7.5", changed.data().get("cosine_scale_train"));
        assertEquals("2.0", defaults.data().get("cosine_scale_test"));
        assertEquals("3", defaults.data().get("query"));
        assertEquals("12", defaults.data().get("episodes"));
        assertEquals("5", defaults.data().get("way"));
        assertEquals("[1, 5]", defaults.data().get("shots"));
        assertTrue(!defaults.samples().equals(changed.samples()), "the settings change the episode accuracies");
        UserException e = assertThrows(UserException.class,
                () -> run("fewshot-baseline++", "ce", out.resolve("c"), Map.of("finetune_epochs", "0")));
        assertTrue(e.getMessage().contains("finetune_epochs"), e.getMessage());
        UserException m = assertThrows(UserException.class,
                () -> run("fewshot-baseline++", "ce", out.resolve("d"), Map.of("finetune_momentum", "1")));
        assertTrue(m.getMessage().endsWith(".finetune_momentum' must be in [0, 1), got '1'"), m.getMessage());
    }

    @Test
    void shots_parseSortedDistinct_rejectOthersNamingTheSetting() {
        java.util.function.Function<String, cambench.api.Params> settings = v -> cambench.api.Params.resolve(
                "protocol fewshot-baseline", FewShotProtocol.SETTINGS, Map.of("shots", v));
        assertArrayEquals(new int[] {1, 5}, FewShotProtocol.shots(settings.apply("5, 1")));
        assertArrayEquals(new int[] {20}, FewShotProtocol.shots(settings.apply("20")));
        for (String bad : new String[] {"0", "1,1", "1;5", ""}) {
            UserException e = assertThrows(UserException.class, () -> FewShotProtocol.shots(settings.apply(bad)));
            assertTrue(e.getMessage().contains("shots"), e.getMessage());
        }
        assertEquals("15", cambench.api.Params.resolve("p", FewShotProtocol.SETTINGS, Map.of()).string("query"),
                "CloserLook's test script draws 15 queries per class");
    }

    @Test
    void run_baselineLinear_producesBothShots(@TempDir Path out) {
        RunRecord r = run("fewshot-baseline", "ce", out);
        assertEquals("baseline", r.data().get("method"));
        assertTrue(r.metrics().containsKey("acc_1shot") && r.metrics().containsKey("acc_5shot"));
    }

    @Test
    void catalog_crossAndGlyphSpecs_splitClassesAndCheckSizes() {
        FewShotCatalog c = new FewShotCatalog(null);
        FewShotCatalog.FewShotSplit s = c.load("fewshot-glyphs:base=5,val=3,novel=4,per=9,size=16");
        assertEquals(5, s.base().classCount());
        assertEquals(3, s.val().classCount());
        assertEquals(4, s.novel().classCount());
        FewShotCatalog.FewShotSplit x = c.load("cross:fewshot-glyphs:base=5,val=0,novel=2,per=9,size=16"
                + "->fewshot-glyphs:base=2,val=0,novel=5,per=9,size=16,seed=3");
        assertEquals(5 + 0 + 2, x.base().classCount()); // every source class: base + val + novel
        assertEquals(5, x.novel().classCount());
        UserException e = assertThrows(UserException.class, () -> c.load("cross:fewshot-glyphs:size=16"
                + "->fewshot-glyphs:size=24"));
        assertTrue(e.getMessage().contains("same size"), e.getMessage());
        assertThrows(UserException.class, () -> c.load("mini-imagenet"));
    }
}
