package cambench.baselines.reg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.api.CrossEntropy;
import cambench.api.HiddenMix;
import cambench.api.LabelMix;
import cambench.api.MixedBatch;
import cambench.api.Progress;
import cambench.api.RegularizerStep;
import cambench.api.Regularizers;
import cambench.api.StepOutputs;
import cambench.api.UserException;
import cambench.baselines.loss.CamLoss;
import cambench.baselines.loss.CeLoss;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Each built-in regularizer's effect on a batch or a branch, and the mixed forms of CE and CAM-loss. */
@Tag("engine")
class RegularizersTest {
    private static final int N = 6;
    private NDManager manager;

    @BeforeEach
    void open() {
        EngineSetup.start(1);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** N images [N, 2, h, w], image n filled with n + 1; labels n. */
    private NDArray constantImages(int h, int w) {
        float[] v = new float[N * 2 * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / (2 * h * w) + 1;
        }
        return manager.create(v, new Shape(N, 2, h, w));
    }

    private NDArray labels() {
        return manager.create(new long[] {0, 1, 2, 3, 4, 5});
    }

    private static RegularizerStep step(long seed) {
        return new RegularizerStep(new Random(seed), Progress.steadyState());
    }

    @Test
    void cutMix_lambdaEqualsKeptPixelFractionExactly_afterClipping() {
        int h = 7;
        int w = 9;   // odd sizes: boxes are clipped at the borders for most centres
        CutMix cutMix = new CutMix(1.0, 1.0);
        int mixedImages = 0;
        for (long seed = 0; seed < 30; seed++) {
            MixedBatch b = cutMix.onBatch(constantImages(h, w), labels(), step(seed));
            LabelMix mix = b.mix().orElseThrow();
            float[] x = b.images().toFloatArray();
            long[] partner = mix.partnerLabels().toLongArray();
            for (int n = 0; n < N; n++) {
                if (partner[n] == n) {
                    continue;
                }
                int own = 0;
                int other = 0;
                for (int i = 0; i < 2 * h * w; i++) {
                    float v = x[n * 2 * h * w + i];
                    own += v == n + 1 ? 1 : 0;
                    other += v == partner[n] + 1 ? 1 : 0;
                }
                assertEquals(2 * h * w, own + other, "every pixel is the image's own or its partner's");
                assertEquals(mix.lambda(), own / (2.0 * h * w), 0.0, "seed " + seed);
                mixedImages++;
            }
        }
        assertTrue(mixedImages > 100);
    }

    @Test
    void cutMix_boxArea_isOneMinusLambdaBeforeClippingWhenInside() {
        // centred box: no clipping, side int(h sqrt(1 - lambda))
        CutMix.Box box = new CutMix.Box(2, 6, 2, 6);
        assertEquals(16, box.area());
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            CutMix.Box b = CutMix.Box.draw(r, r.nextDouble(), 32, 32);
            assertTrue(b.y1() >= 0 && b.y2() <= 32 && b.x1() >= 0 && b.x2() <= 32 && b.area() >= 0);
        }
    }

    @Test
    void cutMix_probZero_leavesBatchAndLabelsAlone() {
        NDArray x = constantImages(4, 4);
        MixedBatch b = new CutMix(1.0, 0.0).onBatch(x, labels(), step(1));
        assertTrue(b.mix().isEmpty());
        assertArrayEquals(x.toFloatArray(), b.images().toFloatArray());
    }

    @Test
    void mixup_isConvexCombinationOfImagePairs() {
        MixedBatch b = new Mixup(0.4).onBatch(constantImages(3, 3), labels(), step(7));
        LabelMix mix = b.mix().orElseThrow();
        double l = mix.lambda();
        assertTrue(l >= 0 && l <= 1);
        float[] x = b.images().toFloatArray();
        long[] partner = mix.partnerLabels().toLongArray();
        for (int n = 0; n < N; n++) {
            float expected = (float) (l * (n + 1) + (1 - l) * (partner[n] + 1));
            for (int i = 0; i < 18; i++) {
                assertEquals(expected, x[n * 18 + i], 1e-5f);
            }
        }
        long[] sorted = partner.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, sorted, "partners are a permutation of the batch");
    }

    @Test
    void cutout_zeroesOneClippedSquarePerImage_labelsUnchanged() {
        int h = 8;
        NDArray ones = manager.ones(new Shape(N, 3, h, h));
        MixedBatch b = new Cutout(1, 4).onBatch(ones, labels(), step(11));
        assertTrue(b.mix().isEmpty());
        float[] x = b.images().toFloatArray();
        for (int n = 0; n < N; n++) {
            int y1 = h;
            int y2 = -1;
            int x1 = h;
            int x2 = -1;
            int zeros = 0;
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < h; c++) {
                    float v = x[(n * 3) * h * h + y * h + c];
                    for (int ch = 1; ch < 3; ch++) {
                        assertEquals(v, x[(n * 3 + ch) * h * h + y * h + c], "same hole in every channel");
                    }
                    if (v == 0) {
                        zeros++;
                        y1 = Math.min(y1, y);
                        y2 = Math.max(y2, y);
                        x1 = Math.min(x1, c);
                        x2 = Math.max(x2, c);
                    }
                }
            }
            int height = y2 - y1 + 1;
            int width = x2 - x1 + 1;
            assertEquals(height * width, zeros, "the zeroed area is one solid rectangle");
            assertTrue(height >= 2 && height <= 4 && width >= 2 && width <= 4, height + "x" + width);
        }
    }

    @Test
    void shakeDrop_evalForwardIsTheTrainingExpectation() {
        ShakeDrop sd = new ShakeDrop(0.5);
        NDArray branch = manager.create(new float[] {1, -2, 3, 0.5f}, new Shape(1, 1, 2, 2));
        int units = 4;
        int unit = 3;   // deepest: drop probability 0.5
        assertEquals(0.5, sd.dropProbability(unit, units), 1e-12);
        assertEquals(0.125, sd.dropProbability(0, units), 1e-12);
        float[] eval = sd.apply(branch, unit, units, false, Progress.steadyState()).toFloatArray();
        assertArrayEquals(new float[] {0.5f, -1f, 1.5f, 0.25f}, eval, 1e-6f);
        manager.getEngine().setRandomSeed(5);
        int draws = 3000;
        double[] mean = new double[4];
        try (NDManager m = manager.newSubManager()) {
            NDArray b = branch.duplicate();
            b.attach(m);
            for (int i = 0; i < draws; i++) {
                float[] t = sd.apply(b, unit, units, true, Progress.steadyState()).toFloatArray();
                for (int j = 0; j < 4; j++) {
                    mean[j] += t[j] / draws;
                }
            }
        }
        for (int j = 0; j < 4; j++) {
            // factor b + alpha (1 - b): mean 0.5, sd ~0.65; 3000 draws: standard error ~0.012 |x|
            assertEquals(eval[j], mean[j], 0.06 * Math.abs(branch.toFloatArray()[j]) + 1e-6, "position " + j);
        }
    }

    @Test
    void stochasticDepth_evalScalesBySurvival_trainingKeepsOrDropsWholeBranch() {
        StochasticDepth sd = new StochasticDepth(0.5);
        NDArray branch = manager.create(new float[] {2, 4}, new Shape(1, 2, 1, 1));
        assertArrayEquals(new float[] {1.5f, 3f}, sd.apply(branch, 0, 2, false, Progress.steadyState()).toFloatArray(), 1e-6f);
        for (int i = 0; i < 20; i++) {
            float[] t = sd.apply(branch, 1, 2, true, Progress.steadyState()).toFloatArray();
            assertTrue((t[0] == 2 && t[1] == 4) || (t[0] == 0 && t[1] == 0));
        }
    }

    @Test
    void dropBlock_zeroesWholeBlocksAndRescales_evalUnchanged() {
        DropBlock db = new DropBlock(0.7, 3, true);
        NDArray branch = manager.ones(new Shape(4, 2, 9, 9));
        assertArrayEquals(branch.toFloatArray(), db.apply(branch, 3, 4, false, Progress.steadyState()).toFloatArray());
        assertArrayEquals(branch.toFloatArray(), db.apply(branch, 0, 4, true, Progress.steadyState()).toFloatArray(), "shallow half untouched");
        manager.getEngine().setRandomSeed(3);
        float[] t = db.apply(branch, 3, 4, true, Progress.steadyState()).toFloatArray();
        int zeros = 0;
        double sum = 0;
        float scale = 0;
        for (float v : t) {
            zeros += v == 0 ? 1 : 0;
            sum += v;
            if (v != 0) {
                assertTrue(scale == 0 || v == scale, "one scale for every kept element");
                scale = v;
            }
        }
        assertTrue(zeros >= 9, "at least one 3x3 block dropped: " + zeros);
        assertEquals(t.length, sum, 1e-2 * t.length, "rescaled to the same total");
    }

    @Test
    void dropBlock_linearSchedule_fallsFromOneToKeepOverTheEpochs() {
        DropBlock linear = new DropBlock(0.8, 3, true);
        DropBlock constant = new DropBlock(0.8, 3, false);
        double[] expected = {0.96, 0.92, 0.88, 0.84, 0.80};
        for (int e = 0; e < 5; e++) {
            Progress p = new Progress(e, 1 + 10L * e, 5, List.of());
            assertEquals(expected[e], linear.keepProbability(p), 1e-12, "epoch " + e);
            assertEquals(0.8, constant.keepProbability(p), 1e-12);
        }
        assertEquals(0.8, linear.keepProbability(Progress.steadyState()), 1e-12, "steady state: the target");
        // the drop rate follows the schedule: early epochs drop fewer elements than the last one
        NDArray branch = manager.ones(new Shape(64, 4, 9, 9));
        manager.getEngine().setRandomSeed(11);
        double firstEpoch = zeroFraction(linear.apply(branch, 3, 4, true, new Progress(0, 1, 5, List.of())));
        double lastEpoch = zeroFraction(linear.apply(branch, 3, 4, true, new Progress(4, 50, 5, List.of())));
        assertTrue(firstEpoch < lastEpoch / 2, "dropped " + firstEpoch + " in epoch 1, " + lastEpoch + " in epoch 5");
        Regularizers registry = Regularizers.builtIn();
        UserException e = assertThrows(UserException.class, () -> registry.create(List.of("dropblock"),
                registry.resolve(List.of("dropblock"), Map.of("dropblock.schedule", "cosine"))));
        assertEquals("parameter 'dropblock.schedule' must be linear or constant, got 'cosine'", e.getMessage());
    }

    private static double zeroFraction(NDArray a) {
        float[] v = a.toFloatArray();
        int zeros = 0;
        for (float x : v) {
            zeros += x == 0 ? 1 : 0;
        }
        return zeros / (double) v.length;
    }

    @Test
    void manifoldMixup_drawsBoundaryUpToTheCap_lambdaAndPartnersLikeMixup() {
        ManifoldMixup mm = new ManifoldMixup(2.0, 2);
        int[] seen = new int[4];
        for (int i = 0; i < 300; i++) {
            RegularizerStep step = new RegularizerStep(new Random(i), Progress.steadyState());
            HiddenMix h = mm.hiddenMix(3, N, step).orElseThrow();
            seen[h.boundary()]++;
            assertTrue(h.lambda() >= 0 && h.lambda() <= 1);
            long[] sorted = h.partners().clone();
            java.util.Arrays.sort(sorted);
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, sorted, "a permutation of the batch");
        }
        assertEquals(0, seen[3], "never past max_boundary 2");
        for (int k = 0; k < 3; k++) {
            assertTrue(seen[k] > 60, "boundary " + k + " drawn " + seen[k] + " times of 300");
        }
        // a network with one stage: boundaries 0 and 1 only
        for (int i = 0; i < 50; i++) {
            assertTrue(mm.hiddenMix(1, N, new RegularizerStep(new Random(i), Progress.steadyState()))
                    .orElseThrow().boundary() <= 1);
        }
        // images pass through untouched: the mixing happens inside the network
        NDArray x = constantImages(2, 2);
        MixedBatch mb = mm.onBatch(x, labels(), new RegularizerStep(new Random(1), Progress.steadyState()));
        assertArrayEquals(x.toFloatArray(), mb.images().toFloatArray());
        assertTrue(mb.mix().isEmpty());
        assertEquals(cambench.api.RegularizerProvider.Kind.LABEL_MIXING,
                Regularizers.builtIn().provider("manifold_mixup").kind());
    }

    private StepOutputs outputs(NDArray labels, Optional<LabelMix> mix) {
        Random r = new Random(2);
        float[] f = new float[4 * 3 * 3 * 3];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) Math.abs(r.nextGaussian());
        }
        NDArray features = manager.create(f, new Shape(4, 3, 3, 3));
        NDArray pooled = features.reshape(4, 3, 9).mean(new int[] {2});
        float[] w = new float[5 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        NDArray weight = manager.create(w, new Shape(5, 3));
        NDArray logits = pooled.matMul(weight.transpose());
        return StepOutputs.builder().setFeatures(features).setPooled(pooled).setLogits(logits)
                .setClassifier(weight, null).setLabels(labels).setProgress(Progress.steadyState()).optMix(mix).build();
    }

    @Test
    void mixedCe_equalsLambdaWeightedSum_andSoftTargetCe() {
        NDArray ya = manager.create(new long[] {0, 1, 2, 3});
        NDArray yb = manager.create(new long[] {4, 0, 2, 1});
        double lambda = 0.3;
        StepOutputs out = outputs(ya, Optional.of(new LabelMix(yb, lambda)));
        float mixed = new CeLoss().mixedTerms(out).total().getFloat();
        float a = CrossEntropy.of(out.logits(), ya.oneHot(5)).getFloat();
        float b = CrossEntropy.of(out.logits(), yb.oneHot(5)).getFloat();
        assertEquals(lambda * a + (1 - lambda) * b, mixed, 1e-5);
        NDArray soft = ya.oneHot(5).mul((float) lambda).add(yb.oneHot(5).mul((float) (1 - lambda)));
        assertEquals(CrossEntropy.of(out.logits(), soft).getFloat(), mixed, 1e-5);
    }

    @Test
    void mixedCamLoss_isLambdaWeightedSumOfBothTerms() {
        NDArray ya = manager.create(new long[] {0, 1, 2, 3});
        NDArray yb = manager.create(new long[] {4, 0, 2, 1});
        double lambda = 0.7;
        StepOutputs out = outputs(ya, Optional.of(new LabelMix(yb, lambda)));
        Map<String, NDArray> terms = new CamLoss(3.0, new CamLoss.AlphaStep(0, 0.5)).mixedTerms(out).asMap();
        float camA = CamLoss.camTerm(out.features(), out.weight(), ya.oneHot(5)).getFloat() * 3;
        float camB = CamLoss.camTerm(out.features(), out.weight(), yb.oneHot(5)).getFloat() * 3;
        assertEquals(lambda * camA + (1 - lambda) * camB, terms.get("cam").getFloat(), 1e-5);
        float ceA = CrossEntropy.of(out.logits(), ya.oneHot(5)).getFloat();
        float ceB = CrossEntropy.of(out.logits(), yb.oneHot(5)).getFloat();
        assertEquals(lambda * ceA + (1 - lambda) * ceB, terms.get("ce").getFloat(), 1e-5);
    }

    @Test
    void registry_findsBuiltIns_andRefusesTwoOfAKind() {
        Regularizers r = Regularizers.builtIn();
        assertEquals(List.of("cutmix", "cutout", "dropblock", "manifold_mixup", "mixup", "shakedrop", "stochdepth"),
                List.copyOf(r.all().keySet()));
        assertEquals(Map.of("cutmix.beta", "1.0", "cutmix.prob", "1", "shakedrop.p_last", "0.5"),
                r.resolve(List.of("cutmix", "shakedrop"), Map.of("cutmix.prob", "1", "cam.alpha", "2")));
        UserException two = assertThrows(UserException.class, () -> r.resolve(List.of("cutmix", "mixup"), Map.of()));
        assertTrue(two.getMessage().contains("cutmix and mixup"), two.getMessage());
        assertThrows(UserException.class, () -> r.resolve(List.of("cutmix"), Map.of("cutmix.gamma", "1")));
    }
}
