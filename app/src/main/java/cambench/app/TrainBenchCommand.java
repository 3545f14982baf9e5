package cambench.app;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cambench.harness.data.Augmentation;
import cambench.harness.data.Batch;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.GlyphSet;
import cambench.harness.data.ImageSet;
import cambench.harness.data.Normalization;
import cambench.harness.engine.Allocator;
import cambench.harness.engine.EngineSetup;
import cambench.harness.engine.OpProfile;
import cambench.harness.engine.ProcessClock;
import cambench.harness.model.Inference;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.api.ObjectiveInstance;
import cambench.api.Objectives;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@code memory_trace} has RSS, committed Java heap and live arrays every 100 timed steps (for the
 * no-leak check). For an objective other than {@code ce}, {@code step_time_over_ce} is its step
 * time over ce's, measured in alternating blocks within this process. Evaluation runs the real
 * evaluation path (test batches of {@code --batch}, eval mode, logits to the host) over at least
 * {@code steps / 2} batches' worth of images, as {@code bench/pytorch_train.py} does, in one pass over a
 * test set of that size (up to 4096 images, then several passes), after one untimed pass.
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

    @Option(names = "--profile", paramLabel = "FILE", description = "after the timed steps, profile 10 more:"
            + " Chrome trace to FILE, top ops by self time to stderr")
    Path profile;

    @Option(names = "--profile-eval", paramLabel = "FILE", description = "after the timed evaluation, profile one"
            + " more evaluation pass: Chrome trace to FILE, top ops by self time per batch to stderr")
    Path profileEval;

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
        // one evaluation covers steps / 2 batches when that is at most 4096 images (a real test set is
        // evaluated in one pass, so the per-evaluation set-up is paid once), else it is repeated
        int evalImages = Math.max(2 * classes, (steps / 2) * batch);
        ImageSet test = GlyphSet.render(classes, Math.max(2, (Math.min(evalImages, 4096) + classes - 1) / classes),
                32, 3, 2, 0);
        Normalization norm = Normalization.of(train);
        Augmentation trainAug = Augmentation.parse(augment, norm);
        double dataRate = BatchLoader.measureImagesPerSecond(train, trainAug, batch, Math.max(40, steps));
        BatchLoader trainBatches = BatchLoader.builder().setData(train).setBatchSize(batch).optAugmentation(trainAug)
                .optSeed(1).optDropLast(true).build();
        BatchLoader testBatches = BatchLoader.builder().setData(test).setBatchSize(batch)
                .optAugmentation(Augmentation.parse("none", norm)).optShuffle(false).build();
        Recipe recipe = new Recipe(1, batch, 0.1, 0.9, false, 5e-4, "constant", augment);
        Map<String, Object> out = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(device);
                Network net = Models.create(model, new ModelSpec(3, 32, classes, 0), 1, manager)) {
            Objectives builtIn = Objectives.builtIn();
            ObjectiveInstance obj = builtIn.create(objective, builtIn.resolve(objective, Map.of()), classes,
                    net.backbone().featureChannels(), net.store().manager());
            Trainer trainer = benchTrainer(net, obj, recipe, trainBatches, testBatches);
            Loop loop = new Loop(trainBatches, recipe.lr());
            loop.run(trainer, warmup);
            long aliveStart = aliveArrays(manager);
            double rssStart = rssMb("VmRSS");
            long t0 = System.nanoTime();
            long cpu0 = ProcessClock.cpuNanos();
            List<Map<String, Object>> trace = new ArrayList<>();
            double waitSeconds = 0;
            for (int done = 0; done < steps; done += TRACE_EVERY) {
                int n = Math.min(TRACE_EVERY, steps - done);
                waitSeconds += loop.run(trainer, n);
                trace.add(memoryPoint(done + n, manager));
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double cpuMsPerStep = (ProcessClock.cpuNanos() - cpu0) / 1e6 / steps;
            long aliveEnd = aliveArrays(manager);
            double rssEnd = rssMb("VmRSS");
            if (profile != null) {
                OpProfile.print(OpProfile.record(profile, () -> loop.run(trainer, 10)), 30, 10,
                        spec.commandLine().getErr());
            }
            if (!objective.equals("ce")) {
                out.putAll(pairedWithCe(manager, obj, trainer, loop, recipe, trainBatches, testBatches));
            }
            loop.close();
            trainer.benchEvaluate();
            int evalPasses = Math.max(1, (int) Math.ceil(evalImages / (double) test.count()));
            long e0 = System.nanoTime();
            for (int i = 0; i < evalPasses; i++) {
                trainer.benchEvaluate();
            }
            double evalSeconds = (System.nanoTime() - e0) / 1e9;
            String evalPath = trainer.inferencePath();
            double eagerEvalSeconds = Inference.FUSED.equals(evalPath) ? eagerEvalSeconds(trainer, evalPasses) : 0;
            if (profileEval != null) {
                int evalBatches = (test.count() + batch - 1) / batch;
                OpProfile.print(OpProfile.record(profileEval, trainer::benchEvaluate), 30, evalBatches,
                        spec.commandLine().getErr());
            }
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
            out.put("train_cpu_ms_per_step", cpuMsPerStep);
            out.put("data_wait_ms_per_step", 1000 * waitSeconds / steps);
            out.put("eval_images_per_s", evalPasses * (double) test.count() / evalSeconds);
            if (eagerEvalSeconds > 0) {
                out.put("eval_eager_images_per_s", evalPasses * (double) test.count() / eagerEvalSeconds);
            }
            out.put("eval_images", evalPasses * test.count());
            out.put("data_images_per_s", dataRate);
            out.put("data_over_train", dataRate / (steps * (double) batch / trainSeconds));
            out.put("peak_rss_mb", rssMb("VmHWM"));
            out.put("rss_mb_start", rssStart);
            out.put("rss_mb_end", rssEnd);
            out.put("ndarrays_alive_start", aliveStart);
            out.put("ndarrays_alive_end", aliveEnd);
            out.put("memory_trace", trace);
            out.put("engine", EngineSetup.version());
            out.put("malloc_arena_max", String.valueOf(System.getenv("MALLOC_ARENA_MAX")));
            out.put("malloc_mmap_threshold", String.valueOf(System.getenv("MALLOC_MMAP_THRESHOLD_")));
            out.put("ld_preload", String.valueOf(System.getenv("LD_PRELOAD")));
            out.put("allocator", Allocator.name());
            out.put("inference", evalPath);
        }
        if (json) {
            spec.commandLine().getOut().println(RunStore.json().writeValueAsString(out));
        } else {
            out.forEach((k, v) -> spec.commandLine().getOut().printf(Locale.ROOT, "%-24s %s%n", k, v));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Seconds of {@code passes} evaluations on the eager path (after one untimed), for the fused path's gain. */
    private static double eagerEvalSeconds(Trainer trainer, int passes) {
        EngineSetup.setInference("eager");
        try {
            trainer.benchEvaluate();
            long t0 = System.nanoTime();
            for (int i = 0; i < passes; i++) {
                trainer.benchEvaluate();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            EngineSetup.setInference("fused");
        }
    }

    private static Trainer benchTrainer(Network net, ObjectiveInstance obj, Recipe recipe, BatchLoader train,
            BatchLoader test) {
        return new Trainer(net, obj, recipe, train, test, 1,
                new ProgressLine(new PrintStream(OutputStream.nullOutputStream()), ""));
    }

    /**
     * The objective's step time against {@code ce}'s in this process: a twin network (same model and
     * seed, its own memory scope) trained with {@code ce}, blocks of {@link #PAIR_BLOCK} steps of each
     * alternating over the same batch stream, so that load changes hit both alike.
     */
    private Map<String, Object> pairedWithCe(NDManager manager, ObjectiveInstance obj, Trainer trainer, Loop loop,
            Recipe recipe, BatchLoader train, BatchLoader test) {
        try (Network twin = Models.create(model, new ModelSpec(3, 32, classes, 0), 1, manager)) {
            Objectives builtIn = Objectives.builtIn();
            ObjectiveInstance ce = builtIn.create("ce", builtIn.resolve("ce", Map.of()), classes,
                    twin.backbone().featureChannels(), twin.store().manager());
            Trainer ceTrainer = benchTrainer(twin, ce, recipe, train, test);
            loop.run(ceTrainer, warmup);
            long ceNanos = 0;
            long objNanos = 0;
            for (int done = 0; done < steps; done += PAIR_BLOCK) {
                int n = Math.min(PAIR_BLOCK, steps - done);
                long t0 = System.nanoTime();
                loop.run(ceTrainer, n);
                long t1 = System.nanoTime();
                loop.run(trainer, n);
                ceNanos += t1 - t0;
                objNanos += System.nanoTime() - t1;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("paired_ce_step_ms", ceNanos / 1e6 / steps);
            out.put("paired_objective_step_ms", objNanos / 1e6 / steps);
            out.put("step_time_over_ce", objNanos / (double) ceNanos);
            return out;
        }
    }

    /** Steps per block when the objective's step time is paired with ce's. */
    private static final int PAIR_BLOCK = 10;

    /** Training steps over as many epochs as needed, continuing where the last call stopped. */
    private static final class Loop {
        private final BatchLoader batches;
        private final double lr;
        private int epoch;
        private BatchLoader.Epoch current;

        Loop(BatchLoader batches, double lr) {
            this.batches = batches;
            this.lr = lr;
        }

        /** Runs {@code n} steps of {@code trainer}; returns the seconds spent waiting for batches. */
        double run(Trainer trainer, int n) {
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

    /** Timed steps between two points of {@code memory_trace}. */
    private static final int TRACE_EVERY = 100;

    /** RSS, committed Java heap and live NDArrays after {@code step} timed steps (cheap: no timing effect). */
    private static Map<String, Object> memoryPoint(int step, NDManager manager) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("step", step);
        p.put("rss_mb", rssMb("VmRSS"));
        p.put("java_heap_committed_mb", Runtime.getRuntime().totalMemory() / 1048576.0);
        p.put("ndarrays_alive", aliveArrays(manager));
        return p;
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
