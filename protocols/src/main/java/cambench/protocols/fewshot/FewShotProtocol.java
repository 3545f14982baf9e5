package cambench.protocols.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.harness.data.Augmentation;
import cambench.harness.data.Batch;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.ImageSet;
import cambench.harness.data.Normalization;
import cambench.harness.datasets.FewShotCatalog;
import cambench.harness.fewshot.BatchedFineTuner;
import cambench.harness.fewshot.Episode;
import cambench.harness.fewshot.EpisodeSampler;
import cambench.harness.fewshot.FeatureCache;
import cambench.harness.fewshot.FineTuneHead;
import cambench.harness.fewshot.FineTuneRecipe;
import cambench.harness.model.CosineHead;
import cambench.harness.model.Inference;
import cambench.harness.model.LinearHead;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.api.ObjectiveInstance;
import cambench.api.ParamSpec;
import cambench.api.Params;
import cambench.protocols.classify.ClassificationRun;
import cambench.harness.run.Environment;
import cambench.harness.run.Protocol;
import cambench.harness.run.RunContext;
import cambench.harness.train.ProgressLine;
import cambench.harness.train.TrainResult;
import cambench.harness.train.Trainer;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;
import cambench.results.stats.Summary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Few-shot classification (paper Table 6, CloserLook's Baseline / Baseline++): train backbone +
 * head on the base classes (for {@code cross:SOURCE->TARGET} every class of the source, base + val
 * + novel, as CloserLook's cross-domain setting) with the cell's objective and recipe, freeze the
 * backbone, extract the novel classes' features once, then for each shot count fine-tune a new head per
 * episode (by default {@link FineTuneRecipe#CLOSER_LOOK}) and report query accuracy (%).
 *
 * <p>Settings ({@link #settings}; defaults as CloserLook's test script): the episode shape
 * ({@code way} 5, {@code shots} 1 and 5, {@code query} 15 per class, {@code episodes} 600 per shot
 * count), the test-time fine-tuning recipe ({@code finetune_*}), the cosine head's scale ({@code cosine_scale}: {@code auto} = 2 for at
 * most 200 classes, 10 above, at training and test time alike; or a number for both), the number
 * of base images the per-epoch base error is measured on ({@code base_check_images}) and
 * {@code dropout}.
 *
 * <p>Two registered variants that differ only in the head, at training and test time:
 * {@code fewshot-baseline} (linear) and {@code fewshot-baseline++} (cosine, {@link CosineHead}).
 * Episodes come from {@link EpisodeSampler} seeded with the cell seed, and test-time heads from
 * the same seed, so every objective with the same seed sees the same episodes (paired by (seed,
 * episode index)).
 * Records hold metrics {@code acc_1shot}, {@code acc_5shot} (mean over episodes), their 95%
 * half-widths ({@code 1.96 sd / sqrt(n)}), {@code base_top1_error} (last epoch, on at most
 * {@code base_check_images} base training images, test transform), and the per-episode accuracies as samples.
 */
public abstract class FewShotProtocol implements Protocol {
    private static final FineTuneRecipe CLOSER = FineTuneRecipe.CLOSER_LOOK;

    private final FineTuneHead head;

    FewShotProtocol(FineTuneHead head) {
        this.head = head;
    }

    /** Baseline: linear head. */
    public static final class Baseline extends FewShotProtocol {
        /** Registered by ServiceLoader. */
        public Baseline() {
            super(FineTuneHead.LINEAR);
        }
    }

    /** Baseline++: cosine head. */
    public static final class BaselinePlusPlus extends FewShotProtocol {
        /** Registered by ServiceLoader. */
        public BaselinePlusPlus() {
            super(FineTuneHead.COSINE);
        }
    }

    @Override
    public String name() {
        return "fewshot-" + head.method();
    }

    /** The settings of both variants, with CloserLook's values as defaults. */
    static final List<ParamSpec> SETTINGS = List.of(
            ParamSpec.of("way", 5, "classes per test episode"),
            ParamSpec.of("shots", "1,5", "support images per class, comma-separated: one test (metric acc_Nshot)"
                    + " per value"),
            ParamSpec.of("query", 15, "query images per class of a test episode (CloserLook's test script; 16 is"
                    + " its meta-training value)"),
            ParamSpec.of("episodes", 600, "test episodes per shot count"),
            ParamSpec.of("finetune_epochs", CLOSER.epochs(), "passes over an episode's support set at test time"),
            ParamSpec.of("finetune_batch_size", CLOSER.batchSize(), "support images per fine-tuning step"),
            ParamSpec.of("finetune_lr", CLOSER.lr(), "SGD learning rate of the test-time head"),
            ParamSpec.of("finetune_momentum", CLOSER.momentum(), "SGD momentum of the test-time head"),
            ParamSpec.of("finetune_dampening", CLOSER.dampening(), "SGD dampening of the test-time head"),
            ParamSpec.of("finetune_weight_decay", CLOSER.weightDecay(), "L2 weight decay of the test-time head"),
            ParamSpec.of("cosine_scale", "auto", "Baseline++ logit scale at training and test time: auto = 2 for"
                    + " <= 200 classes, 10 above (CloserLook), or a number"),
            ParamSpec.of("base_check_images", 512, "base training images (evenly spaced) the per-epoch base error"
                    + " is measured on"),
            ClassificationRun.SETTINGS.get(0));

    @Override
    public List<ParamSpec> settings() {
        return SETTINGS;
    }

    /** The test-time fine-tuning recipe of {@code settings}. */
    static FineTuneRecipe fineTuneRecipe(Params settings) {
        double momentum = settings.atLeast("finetune_momentum", 0);
        if (momentum >= 1) {
            throw settings.invalid("finetune_momentum", "in [0, 1)");
        }
        double dampening = settings.atLeast("finetune_dampening", 0);
        if (dampening > 1) {
            throw settings.invalid("finetune_dampening", "in [0, 1]");
        }
        return new FineTuneRecipe(settings.integer("finetune_epochs", 1), settings.integer("finetune_batch_size", 1),
                settings.above("finetune_lr", 0), momentum, dampening, settings.atLeast("finetune_weight_decay", 0));
    }

    /**
     * The shot counts of {@code settings}, ascending.
     *
     * @throws cambench.api.UserException naming the setting for a value that is not a list of
     *     distinct integers >= 1
     */
    static int[] shots(Params settings) {
        String text = settings.string("shots");
        java.util.TreeSet<Integer> shots = new java.util.TreeSet<>();
        for (String part : text.split(",", -1)) {
            int n;
            try {
                n = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw settings.invalid("shots", "a comma-separated list of integers >= 1, e.g. 1,5");
            }
            if (n < 1 || !shots.add(n)) {
                throw settings.invalid("shots", "a comma-separated list of distinct integers >= 1, e.g. 1,5");
            }
        }
        return shots.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The episode shape of {@code settings}. */
    record EpisodeShape(int way, int[] shots, int query, int episodes) {
        static EpisodeShape of(Params settings) {
            return new EpisodeShape(settings.integer("way", 2), FewShotProtocol.shots(settings),
                    settings.integer("query", 1),
                    settings.integer("episodes", 1));
        }
    }

    /** The cosine scale for {@code classes} classes under {@code settings}. */
    static double cosineScale(Params settings, int classes) {
        String v = settings.string("cosine_scale");
        return v.equals("auto") ? FineTuneHead.cosineScale(classes) : settings.above("cosine_scale", 0);
    }

    @Override
    public RunRecord run(Cell cell, RunContext context) {
        String started = Instant.now().toString();
        Params settings = settingsOf(cell);
        FineTuneRecipe fineTune = fineTuneRecipe(settings);
        EpisodeShape episodeShape = EpisodeShape.of(settings);
        double dropout = ClassificationRun.dropout(cell);
        FewShotCatalog.FewShotSplit data = new FewShotCatalog(context.catalog().dataRoot()).load(cell.dataset());
        ImageSet base = data.base();
        Normalization norm = Normalization.of(base);
        Augmentation trainAug = Augmentation.parse(cell.recipe().augment(), norm);
        Augmentation testAug = Augmentation.parse(data.testAugment(), norm);
        int batch = cell.recipe().batchSize();
        BatchLoader trainBatches = BatchLoader.builder().setData(base).setBatchSize(batch).optAugmentation(trainAug)
                .optSeed(cell.seed()).optShuffle(true).optDropLast(base.count() > batch).build();
        BatchLoader baseCheck = BatchLoader.builder().setData(strided(base, settings.integer("base_check_images", 1))).setBatchSize(256)
                .optAugmentation(testAug).optShuffle(false).build();
        int[] shape = trainBatches.sampleShape();
        int classes = base.classCount();
        ModelSpec spec = new ModelSpec(shape[0], shape[1], classes, dropout);
        double trainScale = cosineScale(settings, classes);
        try (NDManager manager = NDManager.newBaseManager(context.device());
                Network net = Models.create(cell.model(), spec, cell.seed(), manager, (store, channels) ->
                        head == FineTuneHead.COSINE ? new CosineHead(store, channels, classes, trainScale)
                                : new LinearHead(store, channels, classes))) {
            ObjectiveInstance objective = context.objectives().create(cell.objective(),
                    context.objectives().resolved(cell.objective(), cell.params()), classes,
                    net.backbone().featureChannels(), net.store().manager());
            Trainer trainer = new Trainer(net, objective, cell.recipe(), trainBatches, baseCheck, cell.seed(),
                    new ProgressLine(context.log(), context.title())).allowDivergence(cell.allowsDivergence());
            TrainResult result = trainer.run(context.store().checkpointPath(cell));
            long t0 = System.nanoTime();
            FeatureCache features = extract(net, data.novel(), testAug, manager);
            Map<String, Double> metrics = new LinkedHashMap<>();
            Map<String, List<Double>> samples = new LinkedHashMap<>();
            testShots(cell, context, episodeShape, features, manager, metrics, samples, fineTune,
                    way -> cosineScale(settings, way));
            double testSeconds = (System.nanoTime() - t0) / 1e9;
            metrics.put("base_top1_error", result.top1Error());
            metrics.put("parameters", (double) net.store().parameterCount());
            metrics.put("fewshot_seconds", testSeconds);
            return new RunRecord(RunRecord.FORMAT, cell.key(), cell, metrics, result.epochs(),
                    dataInfo(data, norm, classes, fineTune, settings, episodeShape),
                    Environment.describe(context.threads(), context.device().toString(), trainer.inferencePath()),
                    started, Instant.now().toString(), result.seconds() + testSeconds, result.resumedFromEpoch(),
                    samples, result.health());
        }
    }

    /**
     * Fine-tunes a head per episode for each shot count of {@code shape} and puts the mean query
     * accuracy (%), its 95% half-width and the per-episode accuracies into {@code metrics} and
     * {@code samples}.
     */
    private void testShots(Cell cell, RunContext context, EpisodeShape shape, FeatureCache features,
            NDManager manager, Map<String, Double> metrics, Map<String, List<Double>> samples, FineTuneRecipe fineTune,
            java.util.function.IntToDoubleFunction scale) {
        BatchedFineTuner solver = new BatchedFineTuner(head, fineTune, cell.seed(), 1000, context.threads(), scale);
        for (int shot : shape.shots()) {
            Episode[] episodes = new EpisodeSampler(features.indicesByClass(), features.classes(), shape.way(), shot,
                    shape.query(), cell.seed()).episodes(shape.episodes());
            double[] acc = solver.solve(features, episodes, manager);
            Summary s = Summary.normal95(acc);
            metrics.put("acc_" + shot + "shot", s.mean());
            metrics.put("acc_" + shot + "shot_ci95", s.halfWidth());
            List<Double> list = new ArrayList<>(acc.length);
            for (double a : acc) {
                list.add(a);
            }
            samples.put("acc_" + shot + "shot", list);
            context.log().printf(Locale.ROOT, "%s | %d-way %d-shot: %.2f%% +- %.2f (%d episodes)%n",
                    context.title(), shape.way(), shot, s.mean(), s.halfWidth(), acc.length);
        }
    }

    /** The record's data description: the split, normalisation, episode settings and fine-tuning recipe. */
    private Map<String, String> dataInfo(FewShotCatalog.FewShotSplit data, Normalization norm, int classes,
            FineTuneRecipe ft, Params settings, EpisodeShape shape) {
        Map<String, String> dataInfo = new LinkedHashMap<>(data.description());
        dataInfo.put("normalization", norm.toString());
        dataInfo.put("test_augment", data.testAugment());
        dataInfo.put("method", head.method());
        dataInfo.put("episodes", Integer.toString(shape.episodes()));
        dataInfo.put("way", Integer.toString(shape.way()));
        dataInfo.put("shots", java.util.Arrays.toString(shape.shots()));
        dataInfo.put("query", Integer.toString(shape.query()));
        dataInfo.put("finetune", String.format(Locale.ROOT,
                "epochs=%d,batch=%d,sgd lr=%s momentum=%s dampening=%s weight_decay=%s", ft.epochs(),
                ft.batchSize(), ft.lr(), ft.momentum(), ft.dampening(), ft.weightDecay()));
        if (head == FineTuneHead.COSINE) {
            dataInfo.put("cosine_scale_train", Double.toString(cosineScale(settings, classes)));
            dataInfo.put("cosine_scale_test", Double.toString(cosineScale(settings, shape.way())));
        }
        return dataInfo;
    }

    /**
     * Pooled features [N, D] of every image of {@code set} (eval mode, test transform), on the
     * evaluation path the trainer's evaluation took ({@link Inference}).
     */
    static FeatureCache extract(Network net, ImageSet set, Augmentation aug, NDManager manager) {
        BatchLoader loader = BatchLoader.builder().setData(set).setBatchSize(256).optAugmentation(aug)
                .optShuffle(false).build();
        int dim = net.backbone().featureChannels();
        float[] out = new float[set.count() * dim];
        int filled = 0;
        try (Inference inference = Inference.open(net, manager);
                BatchLoader.Epoch batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                try (NDManager step = manager.newSubManager()) {
                    int floats = b.size() * b.sampleFloats();
                    float[] x = floats == b.x().length ? b.x() : java.util.Arrays.copyOf(b.x(), floats);
                    NDArray input = step.create(x, new Shape(b.size(), b.channels(), b.height(), b.width()));
                    float[] pooled = inference.forward(input).pooled().toFloatArray();
                    System.arraycopy(pooled, 0, out, filled * dim, pooled.length);
                    filled += b.size();
                }
            }
        }
        return new FeatureCache(out, set.labels(), dim, set.classes());
    }

    /** At most {@code max} images, evenly spaced. */
    private static ImageSet strided(ImageSet set, int max) {
        if (set.count() <= max) {
            return set;
        }
        int[] idx = new int[max];
        for (int i = 0; i < max; i++) {
            idx[i] = (int) ((long) i * set.count() / max);
        }
        return set.subset(idx);
    }
}
