package cambench.harness.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cambench.harness.data.Augmentation;
import cambench.harness.data.Batch;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.GlyphSet;
import cambench.harness.data.ImageSet;
import cambench.harness.data.Normalization;
import cambench.harness.engine.EngineSetup;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.harness.plugin.Objective;
import cambench.harness.plugin.Objectives;
import cambench.harness.train.ProgressLine;
import cambench.harness.train.Trainer;
import cambench.results.record.Recipe;
import cambench.results.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cambench bench train}: training and evaluation throughput of the real training step
 * ({@link Trainer}: one scope per step, objective terms, SGD) fed by the real {@link BatchLoader},
 * plus the input pipeline alone, peak RSS and live NDArrays, all after warm-up.
 *
 * <p>Data: rendered glyphs, 3x32x32, {@code --classes} classes, the CIFAR augmentation
 * ({@code crop32:4,flip}) normalised with the set's statistics. Recipe: SGD, lr 0.1 constant,
 * momentum 0.9, weight decay 5e-4. {@code bench/compare.sh} runs the same net in plain PyTorch.
 */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Training speed: images/s of the training step, evaluation and data pipeline; RSS and live arrays.")
final class TrainBenchCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "resnet20", description = "architecture (cambench list models)")
    String model;

    @Option(names = "--classes", defaultValue = "100", description = "classes K")
    int classes;

    @Option(names = "--batch", defaultValue = "128", description = "batch size")
    int batch;

    @Option(names = "--steps", defaultValue = "50", description = "timed training steps (after warm-up)")
    int steps;

    @Option(names = "--warmup", defaultValue = "40", description = "untimed training steps first; the JVM needs"
            + " ~30 (JIT compilation, allocator) before the step time settles")
    int warmup;

    @Option(names = "--objective", defaultValue = "ce", description = "objective, every term switched on")
    String objective;

    @Option(names = "--augment", defaultValue = "crop32:4,flip", description = "training augmentation spec")
    String augment;

    @Option(names = "--json", description = "print one JSON object instead of lines")
    boolean json;

    @Mixin
    EngineOptions engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (classes < 2 || batch < 1 || steps < 1 || warmup < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--classes must be >= 2, --batch, --steps and --warmup >= 1");
        }
        Device device = engine.start();
        int perClass = Math.max(4, (8 * batch + classes - 1) / classes);
        ImageSet train = GlyphSet.render(classes, perClass, 32, 3, 1, 0);
        ImageSet test = GlyphSet.render(classes, Math.max(2, 512 / classes), 32, 3, 2, 0);
        Normalization norm = Normalization.of(train);
        Augmentation trainAug = Augmentation.parse(augment, norm);
        double dataRate = BatchLoader.measureImagesPerSecond(train, trainAug, batch, Math.max(40, steps));
        BatchLoader trainBatches = BatchLoader.builder().setData(train).setBatchSize(batch).optAugmentation(trainAug)
                .optSeed(1).optDropLast(true).build();
        BatchLoader testBatches = BatchLoader.builder().setData(test).setBatchSize(256)
                .optAugmentation(Augmentation.parse("none", norm)).optShuffle(false).build();
        Recipe recipe = new Recipe(1, batch, 0.1, 0.9, false, 5e-4, "constant", augment);
        Map<String, Object> out = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(device);
                Network net = Models.create(model, new ModelSpec(3, 32, classes, 0), 1, manager)) {
            Objective obj = Objectives.builtIn().create(objective, Map.of(), classes,
                    net.backbone().featureChannels(), net.store().manager());
            Trainer trainer = new Trainer(net, obj, recipe, trainBatches, testBatches, 1,
                    new ProgressLine(new PrintStream(OutputStream.nullOutputStream()), ""));
            Loop loop = new Loop(trainer, trainBatches, recipe.lr());
            loop.run(warmup);
            long aliveStart = aliveArrays(manager);
            double rssStart = rssMb("VmRSS");
            long t0 = System.nanoTime();
            double waitSeconds = loop.run(steps);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            long aliveEnd = aliveArrays(manager);
            double rssEnd = rssMb("VmRSS");
            loop.close();
            trainer.benchEvaluate();
            long e0 = System.nanoTime();
            trainer.benchEvaluate();
            double evalSeconds = (System.nanoTime() - e0) / 1e9;
            out.put("model", model);
            out.put("classes", classes);
            out.put("batch", batch);
            out.put("threads", engine.threads);
            out.put("objective", objective);
            out.put("steps", steps);
            out.put("warmup", warmup);
            out.put("parameters", net.store().parameterCount());
            out.put("train_images_per_s", steps * (double) batch / trainSeconds);
            out.put("train_step_ms", 1000 * trainSeconds / steps);
            out.put("data_wait_ms_per_step", 1000 * waitSeconds / steps);
            out.put("eval_images_per_s", test.count() / evalSeconds);
            out.put("data_images_per_s", dataRate);
            out.put("data_over_train", dataRate / (steps * (double) batch / trainSeconds));
            out.put("peak_rss_mb", rssMb("VmHWM"));
            out.put("rss_mb_start", rssStart);
            out.put("rss_mb_end", rssEnd);
            out.put("ndarrays_alive_start", aliveStart);
            out.put("ndarrays_alive_end", aliveEnd);
            out.put("engine", EngineSetup.version());
            out.put("malloc_arena_max", String.valueOf(System.getenv("MALLOC_ARENA_MAX")));
            out.put("malloc_mmap_threshold", String.valueOf(System.getenv("MALLOC_MMAP_THRESHOLD_")));
            out.put("ld_preload", String.valueOf(System.getenv("LD_PRELOAD")));
        }
        if (json) {
            spec.commandLine().getOut().println(RunStore.json().writeValueAsString(out));
        } else {
            out.forEach((k, v) -> spec.commandLine().getOut().printf(Locale.ROOT, "%-24s %s%n", k, v));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Training steps over as many epochs as needed, continuing where the last call stopped. */
    private static final class Loop {
        private final Trainer trainer;
        private final BatchLoader batches;
        private final double lr;
        private int epoch;
        private BatchLoader.Epoch current;

        Loop(Trainer trainer, BatchLoader batches, double lr) {
            this.trainer = trainer;
            this.batches = batches;
            this.lr = lr;
        }

        /** Runs {@code n} steps; returns the seconds spent waiting for batches. */
        double run(int n) {
            long waited = 0;
            for (int i = 0; i < n; i++) {
                long w0 = System.nanoTime();
                if (current == null || !current.hasNext()) {
                    if (current != null) {
                        current.close();
                    }
                    current = batches.epoch(epoch++);
                    current.hasNext();
                }
                Batch b = current.next();
                waited += System.nanoTime() - w0;
                trainer.benchStep(b, lr);
            }
            return waited / 1e9;
        }

        void close() {
            if (current != null) {
                current.close();
            }
        }
    }

    /** NDArrays alive in the whole engine: every manager under the system manager, the parent of {@code base}. */
    static long aliveArrays(NDManager base) {
        return base.getParentManager().getManagedArrays().size();
    }

    /** A memory line of /proc/self/status in MiB ({@code VmRSS} now, {@code VmHWM} peak); NaN off Linux. */
    static double rssMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
