package cambench.harness.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import cambench.harness.data.Batch;
import cambench.harness.data.BatchLoader;
import cambench.harness.model.Backbone;
import cambench.harness.model.Inference;
import cambench.harness.model.KernelCheck;
import cambench.harness.model.Network;
import cambench.harness.model.NetworkOutput;
import cambench.api.HiddenMix;
import cambench.api.LabelMix;
import cambench.api.LossTerms;
import cambench.api.MixedBatch;
import cambench.api.RegularizerStep;
import cambench.api.ObjectiveInstance;
import cambench.api.Progress;
import cambench.api.StepOutputs;
import cambench.api.TeacherOutputs;
import cambench.api.UserException;
import cambench.results.record.EpochMetrics;
import cambench.results.record.Recipe;
import cambench.results.store.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training loop: SGD over epochs with the recipe's schedule, any objective, per-epoch test
 * evaluation, an atomic checkpoint after every epoch and resume from it.
 *
 * <p>Each step runs in its own native-memory scope; only Java numbers leave it. Results of ops on
 * long-lived arrays (parameters, the objective's own arrays) land in their owners' managers and are
 * freed after every step, keeping parameters, buffers, optimizer state and objective state (see
 * {@link cambench.api.Objective} for an objective's rules). Everything random
 * is derived from the seed and the epoch (data order, augmentation, PyTorch's generator for
 * dropout), so a resumed run continues exactly as an uninterrupted one, and the same seed and
 * thread count give identical numbers on CPU.
 */
public final class Trainer {
    private static final Runnable NO_PROBE = () -> { };
    private final Network network;
    private final ObjectiveInstance objective;
    private final Recipe recipe;
    private final BatchLoader train;
    private final BatchLoader test;
    private final long seed;
    private final NDManager manager;
    private final ProgressLine progress;
    private final Optimizer optimizer;
    private final Network teacher;
    private final List<Regularization> regularizers;
    private String inferencePath = "";
    private HealthMonitor health;

    /**
     * Prepares a run.
     *
     * @param network the network (its manager's device is used)
     * @param objective the objective, created for this network (not closed here)
     * @param recipe optimisation recipe
     * @param train shuffled, augmented training batches
     * @param test evaluation batches (index order, test transform)
     * @param seed run seed
     * @param progress where progress goes
     */
    public Trainer(Network network, ObjectiveInstance objective, Recipe recipe, BatchLoader train,
            BatchLoader test, long seed, ProgressLine progress) {
        this(network, objective, recipe, train, test, seed, progress, null);
    }

    /**
     * Prepares a distillation run: {@code teacher} (fixed, evaluation mode, no gradient) sees
     * every batch first and its outputs reach the objective as {@link StepOutputs#teacher()}.
     * The objective is evaluated once on two blank images with the teacher attached, so that a
     * teacher/student pair whose maps cannot be matched fails here, before any training.
     *
     * @throws UserException when a distiller gets no teacher, or teacher and student disagree on
     *     the classes or their maps cannot be matched
     */
    public Trainer(Network network, ObjectiveInstance objective, Recipe recipe, BatchLoader train,
            BatchLoader test, long seed, ProgressLine progress, Network teacher) {
        this(network, objective, recipe, train, test, seed, progress, teacher, List.of());
    }

    /**
     * Prepares a run with regularizers (docs/regularizers.md): batch-level ones change every
     * training batch in list order, a label-mixing one hands the objective both label sets
     * ({@link cambench.api.Objective#mixedTerms}), a network-level one gates the residual branches of
     * {@code network} (in training and, as its expectation, in evaluation).
     *
     * @throws UserException as the constructor above, and when a network-level regularizer meets a
     *     model without residual units or the objective defines no mixed form for a label-mixing one
     */
    public Trainer(Network network, ObjectiveInstance objective, Recipe recipe, BatchLoader train,
            BatchLoader test, long seed, ProgressLine progress, Network teacher, List<Regularization> regularizers) {
        this.regularizers = List.copyOf(regularizers);
        network.store().residualUnits().setGate(null);
        for (Regularization r : this.regularizers) {
            if (r.regularizer().residualGate().isPresent()) {
                if (network.store().residualUnits().count() == 0) {
                    throw new UserException("regularizer '" + r.name() + "' gates residual branches; model "
                            + network.name() + " has no residual units");
                }
                network.store().residualUnits().setGate(r.regularizer().residualGate().get());
            }
        }
        this.teacher = teacher;
        this.network = network;
        this.objective = objective;
        this.recipe = recipe;
        this.train = train;
        this.test = test;
        this.seed = seed;
        this.manager = network.store().manager();
        this.progress = progress;
        this.optimizer = Optimizer.of(recipe, network.store().parameters(), manager);
        allowDivergence(false);
        if (objective.kind().needsTeacher() && teacher == null) {
            throw new UserException("objective '" + objective.name() + "' is a distiller and needs a teacher;"
                    + " use it in a distillation table (a column with a teacher)");
        }
        preflight();
        java.util.Set<Integer> batches = new java.util.TreeSet<>(train.batchSizes());
        batches.addAll(test.batchSizes());
        KernelCheck.verify(manager, network, batches);
        if (teacher != null) {
            KernelCheck.verify(manager, teacher, train.batchSizes());
        }
    }

    /**
     * Whether a blow-up of this run (a non-finite or exploded loss, a collapse to chance; docs/trust.md)
     * is a possible outcome, recorded in the result's health, instead of a {@link TrainingDivergedException}
     * (the default); with it, a step with a non-finite loss is skipped. Set before {@link #run}.
     *
     * @return this trainer
     */
    public Trainer allowDivergence(boolean allow) {
        health = new HealthMonitor(cambench.results.record.TrainingHealth.Limits.DEFAULT, allow, network.classes(),
                test.data().count());
        return this;
    }

    /**
     * Runs the objective once on two blank images, as at the run's last step and the teacher (if
     * any) attached, so that a mismatch (teacher and student maps, a CAM of a 1x1 feature map) is a
     * one-line error naming the model and input size before the first step.
     */
    private void preflight() {
        if (teacher != null && teacher.classes() != network.classes()) {
            throw new UserException("teacher " + teacher.name() + " has " + teacher.classes() + " classes, student "
                    + network.name() + " " + network.classes());
        }
        int[] shape = train.sampleShape();
        try (NDManager m = manager.newSubManager();
                GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = m.zeros(new Shape(2, shape[0], shape[1], shape[2]));
            NDArray y = m.create(new long[] {0, 1});
            NetworkOutput o = network.forward(x, false);
            Optional<Regularization> mixing = regularizers.stream()
                    .filter(r -> r.kind() == cambench.api.RegularizerProvider.Kind.LABEL_MIXING).findFirst();
            try {
                objective.terms(outputs(o, y, lastStep(), teacherOutputs(x), Optional.empty())).total();
            } catch (UserException e) {
                throw new UserException("objective '" + objective.name() + "' on model " + network.name() + " with "
                        + shape[1] + "x" + shape[2] + " inputs (feature map " + o.features().getShape() + "): "
                        + e.getMessage());
            }
            if (mixing.isPresent()) {
                Optional<LabelMix> mix = Optional.of(new LabelMix(m.create(new long[] {1, 0}), 0.5));
                try {
                    objective.mixedTerms(outputs(o, y, lastStep(), teacherOutputs(x), mix)).total();
                } catch (UserException e) {
                    throw new UserException("objective '" + objective.name() + "' cannot be combined with"
                            + " label-mixing regularizer '" + mixing.get().name() + "': " + e.getMessage());
                }
            }
        } finally {
            releaseStrays();
        }
    }

    /** The last step of the run, every earlier epoch fully accurate: each schedule as late in the run as it gets. */
    private Progress lastStep() {
        int epochs = recipe.epochs();
        return new Progress(epochs - 1, (long) epochs * train.batchesPerEpoch(), epochs,
                java.util.Collections.nCopies(epochs - 1, 1.0));
    }

    /**
     * Trains to the end, resuming from {@code checkpoint} when it exists, and saving it after
     * every epoch.
     *
     * @param checkpoint checkpoint file (may not exist yet)
     */
    public TrainResult run(Path checkpoint) {
        TrainerState state = new TrainerState(0, 0, List.of(), 0, null);
        try {
            if (Files.exists(checkpoint)) {
                try {
                    state = RunStore.json().readValue(Checkpoint.load(checkpoint, checkpointArrays()),
                            TrainerState.class);
                } catch (Checkpoint.CorruptException e) {
                    progress.warn(e.getMessage() + "; the cell restarts from epoch 1");
                    Files.deleteIfExists(checkpoint); // nothing was restored: the check precedes any copy
                } catch (java.nio.file.NoSuchFileException e) {
                    state = new TrainerState(0, 0, List.of(), 0, null);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint, e);
        }
        int resumedFrom = state.epochsDone();
        List<EpochMetrics> history = new ArrayList<>(state.history());
        health.restore(state.health(), history);
        long iteration = state.iteration();
        double seconds = state.seconds();
        for (int epoch = state.epochsDone(); epoch < recipe.epochs(); epoch++) {
            long start = System.nanoTime();
            Engine.getEngine("PyTorch").setRandomSeed((int) (seed * 100_003 + epoch));
            List<Double> accs = history.stream().map(EpochMetrics::trainAccuracy).toList();
            EpochMetrics m = trainEpoch(epoch, iteration, accs, start, seconds);
            iteration += train.batchesPerEpoch();
            Evaluation eval = evaluate();
            if (eval.nonFinite()) {
                throw new TrainingDivergedException("non-finite logits in the evaluation after epoch " + (epoch + 1)
                        + " (the network diverged); lower the learning rate or the loss weights",
                        "non_finite_logits", epoch + 1);
            }
            double epochSeconds = (System.nanoTime() - start) / 1e9;
            seconds += epochSeconds;
            m = new EpochMetrics(epoch + 1, m.lr(), m.trainLoss(), m.terms(), m.trainAccuracy(), eval.top1Error(),
                    eval.top5Error(), epochSeconds, m.stepsDigest(), TrainingDigest.arrays(checkpointArrays()));
            history.add(m);
            health.epochEnd(epoch + 1, m.trainLoss(), m.testTop1Error());
            double eta = (seconds - state.seconds()) / (epoch + 1 - resumedFrom) * (recipe.epochs() - epoch - 1);
            progress.epochDone(epoch + 1, recipe.epochs(), m.trainLoss(), m.trainAccuracy(), m.testTop1Error(),
                    epochSeconds, eta);
            try {
                Checkpoint.save(checkpoint, checkpointArrays(), RunStore.json().writeValueAsString(
                        new TrainerState(epoch + 1, iteration, history, seconds, health.state())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + checkpoint, e);
            }
        }
        EpochMetrics last = history.get(history.size() - 1);
        return new TrainResult(history, last.testTop1Error(), last.testTop5Error(), seconds, resumedFrom,
                health.health());
    }

    private EpochMetrics trainEpoch(int epoch, long iterationBefore, List<Double> accs, long start,
            double secondsBefore) {
        double lr = recipe.lrAt(epoch);
        Evaluation acc = new Evaluation();
        Map<String, Double> termSums = new LinkedHashMap<>();
        double lossSum = 0;
        int steps = 0;
        int finiteSteps = 0;
        long iteration = iterationBefore;
        int total = train.batchesPerEpoch();
        TrainingDigest digest = new TrainingDigest();
        try (BatchLoader.Epoch batches = train.epoch(epoch)) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                iteration++;
                Progress p = new Progress(epoch, iteration, recipe.epochs(), accs);
                try (NDManager step = manager.newSubManager()) {
                    StepResult r = step(step, b, p, lr, NO_PROBE);
                    acc.add(r.logits(), b.y(), b.size());
                    digest.addStep(r.loss(), r.terms(), r.logits());
                    if (Double.isFinite(r.loss())) {  // a skipped non-finite step (divergence allowed) is counted in health
                        lossSum += r.loss();
                        finiteSteps++;
                        r.terms().forEach((k, v) -> termSums.merge(k, v, Double::sum));
                    }
                }
                releaseStrays();
                steps++;
                double elapsed = (System.nanoTime() - start) / 1e9;
                double rate = acc.seen() / Math.max(elapsed, 1e-9);
                double eta = elapsed / steps * (total - steps)
                        + elapsed / steps * total * (recipe.epochs() - epoch - 1);
                progress.step(epoch + 1, recipe.epochs(), steps, total, lossSum / Math.max(finiteSteps, 1), rate, eta);
            }
        }
        Map<String, Double> termMeans = new LinkedHashMap<>();
        int n = Math.max(finiteSteps, 1);
        termSums.forEach((k, v) -> termMeans.put(k, v / n));
        return new EpochMetrics(epoch + 1, lr, lossSum / n, termMeans, acc.accuracy(), Double.NaN, Double.NaN, 0,
                digest.steps(), "");
    }

    private record StepResult(double loss, Map<String, Double> terms, float[] logits) {
    }

    private StepResult step(NDManager step, Batch b, Progress progress, double lr, Runnable beforeBackward) {
        NDArray x = input(step, b);
        NDArray y = labels(step, b);
        Optional<LabelMix> mix = Optional.empty();
        Backbone.StageMix stageMix = Backbone.StageMix.NONE;
        if (!regularizers.isEmpty()) {
            RegularizerStep rs = new RegularizerStep(new java.util.Random(seed * 0x9E3779B97F4A7C15L
                    + progress.iteration()), progress);
            for (Regularization r : regularizers) {
                MixedBatch mb = r.regularizer().onBatch(x, y, rs);
                x = mb.images();
                if (mb.mix().isPresent()) {
                    mix = mb.mix();
                }
                Optional<HiddenMix> hidden = r.regularizer().hiddenMix(network.backbone().stageCount(), b.size(), rs);
                if (hidden.isPresent()) {
                    stageMix = stageMix(hidden.get(), r.name());
                    mix = Optional.of(new LabelMix(hidden.get().partnersOf(y), hidden.get().lambda()));
                }
            }
            network.store().residualUnits().setProgress(progress);
        }
        StepOutputs out;
        Optional<TeacherOutputs> teacherOut = teacherOutputs(x);
        Map<String, Double> terms = new LinkedHashMap<>();
        double loss;
        float[] logits;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NetworkOutput o = network.forward(x, true, stageMix);
            out = outputs(o, y, progress, teacherOut, mix);
            LossTerms lt = mix.isPresent() ? objective.mixedTerms(out) : objective.terms(out);
            NDArray totalLoss = lt.total();
            beforeBackward.run();
            gc.backward(totalLoss);
            loss = totalLoss.getFloat();
            lt.asMap().forEach((k, v) -> terms.put(k, (double) v.getFloat()));
            logits = o.logits().toFloatArray();
        }
        if (!health.acceptStep(loss, progress.epoch() + 1, progress.iteration())) {
            optimizer.discardGradients();   // non-finite, divergence allowed: no update
            return new StepResult(loss, terms, logits);
        }
        optimizer.step(lr, step);
        objective.afterStep(out);
        return new StepResult(loss, terms, logits);
    }

    /**
     * The mix of a hidden state a regularizer asked for: {@code lambda h + (1 - lambda) h[partners]} at
     * its stage boundary, every other state as it is.
     */
    private Backbone.StageMix stageMix(HiddenMix hidden, String regularizer) {
        int stages = network.backbone().stageCount();
        if (hidden.boundary() > stages) {
            throw new IllegalStateException("regularizer '" + regularizer + "' mixes at stage boundary "
                    + hidden.boundary() + "; model " + network.name() + " has boundaries 0.." + stages);
        }
        return (boundary, h) -> boundary != hidden.boundary() ? h : hidden.mix(h);
    }

    /** The student's outputs of a step, as the objective sees them. */
    private StepOutputs outputs(NetworkOutput o, NDArray labels, Progress progress,
            Optional<TeacherOutputs> teacherOut, Optional<LabelMix> mix) {
        return StepOutputs.builder().setFeatures(o.features()).setPooled(o.pooled()).setLogits(o.logits())
                .setClassifier(network.head().camWeight(), network.head().bias()).setLabels(labels)
                .setProgress(progress).optStages(o.stages()).optTeacher(teacherOut).optMix(mix).build();
    }

    /**
     * Frees results of ops called on long-lived arrays during a step (see
     * {@link cambench.harness.model.ParameterStore#sweep} and {@link ObjectiveInstance#releaseStrays()}).
     */
    private void releaseStrays() {
        List<NDArray> keep = new ArrayList<>(optimizer.state().values());
        keep.addAll(objective.state().values());
        network.store().sweep(keep);
        objective.releaseStrays();
        if (teacher != null) {
            teacher.store().sweep(List.of());
        }
    }

    /** The teacher's outputs for a batch, computed outside the gradient tape (constants). */
    private Optional<TeacherOutputs> teacherOutputs(NDArray x) {
        if (teacher == null) {
            return Optional.empty();
        }
        NetworkOutput t = teacher.forward(x, false);
        return Optional.of(new TeacherOutputs(t.features(), t.logits(), teacher.head().camWeight(),
                teacher.head().bias(), t.stages()));
    }

    /**
     * Runs one training step on {@code b} in its own native-memory scope, as {@link #run} does, with
     * every objective term switched on ({@link Progress#steadyState()}); for {@code cambench bench}.
     *
     * @return the step's loss
     */
    public double benchStep(Batch b, double lr) {
        return probeStep(b, lr, NO_PROBE);
    }

    /**
     * Runs one training step as {@link #benchStep} does, calling {@code beforeBackward} after the
     * forward pass and the loss, just before the backward pass: the moment at which memory that the
     * backward pass still reads must not have been freed (see {@link cambench.api.Scalars}); for tests.
     *
     * @return the step's loss
     */
    public double probeStep(Batch b, double lr, Runnable beforeBackward) {
        try (NDManager s = manager.newSubManager()) {
            return step(s, b, Progress.steadyState(), lr, beforeBackward).loss();
        } finally {
            releaseStrays();
        }
    }

    /** Evaluates on the test batches as {@link #run} does; for {@code cambench bench}: the top-1 error (%). */
    public double benchEvaluate() {
        return evaluate().top1Error();
    }

    /** Evaluates the current network on the test batches (eval mode, no gradient). */
    Evaluation evaluate() {
        Evaluation eval = new Evaluation();
        try (Inference inference = Inference.open(network, manager);
                BatchLoader.Epoch batches = test.epoch(0)) {
            inferencePath = inference.path();
            while (batches.hasNext()) {
                Batch b = batches.next();
                try (NDManager step = manager.newSubManager()) {
                    NetworkOutput o = inference.forward(input(step, b));
                    eval.add(o.logits().toFloatArray(), b.y(), b.size());
                }
            }
        }
        return eval;
    }

    /**
     * The evaluation path of the last evaluation ({@link Inference#FUSED} or {@link Inference#EAGER};
     * "" before the first), for run records.
     */
    public String inferencePath() {
        return inferencePath;
    }

    private static NDArray input(NDManager m, Batch b) {
        int floats = b.size() * b.sampleFloats();
        float[] data = floats == b.x().length ? b.x() : java.util.Arrays.copyOf(b.x(), floats);
        return m.create(data, new Shape(b.size(), b.channels(), b.height(), b.width()));
    }

    private static NDArray labels(NDManager m, Batch b) {
        long[] y = new long[b.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = b.y()[i];
        }
        return m.create(y);
    }

    private Map<String, NDArray> checkpointArrays() {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.putAll(network.store().parameters());
        arrays.putAll(network.store().buffers());
        arrays.putAll(optimizer.state());
        objective.state().forEach((k, v) -> arrays.put("objective." + k, v));
        return arrays;
    }
}
