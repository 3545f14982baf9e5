package cambench.app;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cambench.api.UserException;
import cambench.harness.data.Augmentation;
import cambench.harness.data.ImageFolderReader;
import cambench.harness.data.ImageSet;
import cambench.harness.datasets.DatasetCatalog;
import cambench.harness.datasets.FewShotCatalog;
import cambench.harness.engine.EngineSetup;
import cambench.harness.datasets.PaperDatasets;
import cambench.harness.engine.OneDnnCaches;
import cambench.harness.model.ConvShape;
import cambench.harness.model.KernelCheck;
import cambench.harness.model.MacCounter;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.harness.model.NetworkOutput;
import cambench.api.Objectives;
import cambench.harness.run.TrainingCost;
import cambench.harness.run.WorkerSchedule;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.plan.PlannedCell;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cambench check}: everything a preset needs, checked without training, and what it costs.
 *
 * <p>For every cell of the plan: its data set resolves (folders, class lists, counts) and the first
 * and last file of each split decode (streamed sets; in-memory sets decode whole); its model builds
 * for the recipe's input size, and one forward pass gives the CAM map size, the parameter count,
 * an activation-memory estimate (every tensor one training-mode forward of 2 images creates,
 * scaled to the recipe's batch; the backward pass roughly doubles it) and the multiply-accumulates
 * of one image ({@link MacCounter}); the device starts; the engine's convolution kernels compute
 * every convolution of the plan's models at the recipes' batch sizes ({@link KernelCheck}: probed
 * where the cache sizes oneDNN reads are hidden, implausible or unknown, or with
 * {@code --probe-kernels}; one {@code kernels} line says which). A data set that is not there is a problem,
 * but the paper's data sets still get their shapes and image counts ({@link PaperDatasets}), so
 * the cost of the paper preset is known on a machine without its data.
 *
 * <p>Cost ({@link TrainingCost}): forward+backward FLOPs per training image from the model's own
 * layers, times the images and epochs of the cell (plus the teacher's forward and the per-epoch
 * evaluation), in device hours at the sustained rate of {@code --device-class} (or {@code --rate TFLOPS});
 * {@code --rate MODEL=IMAGES_PER_S} (from {@code cambench bench train --device gpu}) replaces
 * the estimate for that model by a measured throughput. Prints a table of the cells, the totals per
 * table (a cell shared by tables counts in each) and for the plan (each cell once), and the wall
 * time on {@code --workers} workers ({@link WorkerSchedule}); then one line per problem; exit 2
 * when there is any.
 */
@Command(name = "check", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Preflight a preset without training: data sets, models, memory, device, cost; exit 2 on problems.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    PlanOptions planOptions;

    @Option(names = "--data-root", description = "folder holding real data sets (cifar-10-batches-bin, imagenet, ...)")
    Path dataRoot;

    @Option(names = "--device-class", defaultValue = "a100", description = "device class whose sustained training rate costs"
            + " the cells: ${COMPLETION-CANDIDATES} (our assumption of sustained mixed-precision training:"
            + " v100 25, a100 60, h100 100 TFLOP/s)")
    DeviceClass gpu;

    @Option(names = "--rate", description = "TFLOPS: the sustained rate instead of --device-class's; or MODEL=IMAGES_PER_S"
            + " (repeatable), a measured training throughput of that model, e.g. resnet50=900")
    List<String> rates = new ArrayList<>();

    @Option(names = "--workers", defaultValue = "8", description = "workers (one device each) the wall time is"
            + " estimated for")
    int workers;

    @Option(names = "--no-forward", description = "build models without the forward pass (faster; no CAM size,"
            + " no activation estimate, no cost)")
    boolean noForward;

    @Option(names = "--probe-kernels", description = "probe the engine's convolution kernels on every convolution of"
            + " the plan's models even where the cache sizes oneDNN reads are plausible (they are probed anyway where"
            + " those are hidden, implausible or unknown)")
    boolean probeKernels;

    @Mixin
    EngineOptions engine;

    @Mixin
    PluginOptions plugins;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Device classes and the sustained training rate assumed for each: about what published
     * ResNet-50 mixed-precision training throughputs imply (roughly 1,000 / 2,400 / 4,000 images/s
     * at 24.5 GFLOP per image forward and backward); small CIFAR networks usually sustain less.
     */
    enum DeviceClass {
        v100(25e12), a100(60e12), h100(100e12);

        final double flopsPerSecond;

        DeviceClass(double flopsPerSecond) {
            this.flopsPerSecond = flopsPerSecond;
        }
    }

    /**
     * What a data set spec resolved to, or why it did not.
     *
     * @param known the paper's shape and counts when the data is not there (else null)
     */
    private record DataInfo(String problem, int channels, int height, int width, long trainImages, long testImages,
            int classes, boolean streamed, String summary, PaperDatasets.Size known) {
        boolean usable() {
            return problem == null || known != null;
        }
    }

    /**
     * What a model built to, with the configurations of its convolutions; {@code macsPerImage} is 0
     * when no forward pass ran.
     */
    private record ModelInfo(String problem, long parameters, String camMap, double activationMbPerImage,
            long macsPerImage, List<ConvShape> convolutions) {
    }

    @Override
    public Integer call() {
        ClassLoader loader = plugins.loader();
        Objectives objectives = plugins.objectives(loader);
        Plan plan = planOptions.plan(loader, objectives, Map.of(), Map.of());
        Rates rate = Rates.parse(rates, gpu);
        if (workers < 1) {
            throw new UserException("--workers " + workers + ": must be at least 1");
        }
        List<String> problems = new ArrayList<>();
        Device device;
        try {
            device = engine.start();
            try (NDManager m = NDManager.newBaseManager(device)) {
                m.ones(new Shape(2, 2)).sum().getFloat();
            }
        } catch (RuntimeException e) {
            problems.add("device '" + engine.device + "': not usable (" + oneLine(e) + ")");
            EngineSetup.start(engine.threads);
            device = Device.cpu();
        }
        Map<String, List<String>> tablesOf = new LinkedHashMap<>();
        for (PlannedCell pc : plan.cells()) {
            tablesOf.computeIfAbsent(pc.cell().key(), k -> new ArrayList<>()).add(pc.table());
        }
        List<Cell> cells = plan.distinctCells();
        DatasetCatalog catalog = new DatasetCatalog(dataRoot);
        FewShotCatalog fewShot = new FewShotCatalog(dataRoot);
        Map<String, DataInfo> data = new LinkedHashMap<>();
        Map<String, ModelInfo> models = new LinkedHashMap<>();
        Map<String, Double> hoursByKey = new LinkedHashMap<>();
        Map<String, Double> flopsByKey = new LinkedHashMap<>();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-4s %-11s %-34s %-16s %-9s %-8s %-9s %-8s %-6s %-9s %-9s %-8s%n", "#", "table",
                "dataset", "model", "input", "cam_map", "params_M", "act_GiB", "epochs", "gflop_img", "pflop",
                "gpu_h");
        Set<String> reported = new LinkedHashSet<>();
        Set<String> estimated = new TreeSet<>();
        Set<ConvShape> convolutions = new LinkedHashSet<>();
        Set<Integer> batchSizes = new TreeSet<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            boolean few = cell.protocol().startsWith("fewshot");
            DataInfo d = data.computeIfAbsent((few ? "fewshot|" : "") + cell.dataset(),
                    k -> resolve(cell.dataset(), few, catalog, fewShot));
            if (d.problem() != null && reported.add("data|" + cell.dataset())) {
                problems.add("data set '" + cell.dataset() + "': " + d.problem());
            }
            String input = "?";
            String camMap = "?";
            String params = "?";
            String act = "?";
            String gflop = "?";
            String pflop = "?";
            String hours = "?";
            int side = d.usable() ? inputSide(cell, d, problems, reported) : -1;
            if (side > 0) {
                input = d.channels() + "x" + side + "x" + side;
                ModelInfo m = model(cell.model(), d, side, device, models, problems, reported);
                if (m.problem() == null) {
                    convolutions.addAll(m.convolutions());
                    batchSizes.add(cell.recipe().batchSize());
                    camMap = m.camMap();
                    params = String.format(Locale.ROOT, "%.2f", m.parameters() / 1e6);
                    act = Double.isNaN(m.activationMbPerImage()) ? "?" : String.format(Locale.ROOT, "%.2f",
                            m.activationMbPerImage() * cell.recipe().batchSize() / 1024);
                    ModelInfo teacher = cell.teacher() != null && cell.trainsBesideTeacher()
                            ? model(cell.teacher().model(), d, side, device, models, problems, reported) : null;
                    TrainingCost cost = m.macsPerImage() == 0 || (teacher != null && teacher.macsPerImage() == 0)
                            ? null : cost(cell, d, m, teacher, few);
                    Double h = rate.hours(cell, cost, d.trainImages());
                    if (cost != null) {
                        gflop = String.format(Locale.ROOT, "%.3f", cost.trainFlopsPerImage() / 1e9);
                        pflop = String.format(Locale.ROOT, "%.1f", cost.flops() / 1e15);
                        flopsByKey.put(cell.key(), cost.flops());
                    }
                    if (h != null) {
                        hours = String.format(Locale.ROOT, "%.2f", h);
                        hoursByKey.put(cell.key(), h);
                    }
                    if (d.known() != null && d.known().source().contains("≈")) {
                        estimated.add(cell.dataset());
                    }
                }
            }
            out.printf(Locale.ROOT, "%-4d %-11s %-34s %-16s %-9s %-8s %-9s %-8s %-6d %-9s %-9s %-8s%n", i,
                    abbreviate(String.join(",", new TreeSet<>(tablesOf.getOrDefault(cell.key(), List.of("-")))), 11),
                    abbreviate(cell.dataset(), 34), cell.model(), input, camMap, params, act, cell.recipe().epochs(),
                    gflop, pflop, hours);
        }
        for (DataInfo d : data.values()) {
            if (d.summary() != null) {
                out.println("data " + d.summary());
            }
        }
        try (NDManager m = NDManager.newBaseManager(device)) {
            KernelCheck.Verdict kernels = KernelCheck.check(m, convolutions, batchSizes, OneDnnCaches.ofThisMachine(),
                    probeKernels);
            out.println("kernels " + kernels.summary());
            if (!kernels.passed()) {
                problems.add(kernels.refusal("the plan's models"));
            }
        }
        printTotals(out, plan, cells, hoursByKey, flopsByKey, rate, estimated);
        out.flush();
        if (problems.isEmpty()) {
            out.println("check: no problems");
            out.flush();
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String p : problems) {
            err.println("problem: " + p);
        }
        err.flush();
        return 2;
    }

    /** The totals per table (each of its cells once), for the plan (each cell once) and the wall time. */
    private void printTotals(PrintWriter out, Plan plan, List<Cell> cells, Map<String, Double> hoursByKey,
            Map<String, Double> flopsByKey, Rates rate, Set<String> estimated) {
        for (var t : plan.tables()) {
            Set<String> keys = new LinkedHashSet<>();
            plan.cells().stream().filter(p -> p.table().equals(t.id())).forEach(p -> {
                keys.add(p.cell().key());
                if (p.cell().teacher() != null) {
                    keys.add(p.cell().teacher().key());
                }
            });
            out.printf(Locale.ROOT, "table %-8s %4d cells  %10.1f PFLOP  %10.1f GPU-hours%s%n", t.id(), keys.size(),
                    sum(keys, flopsByKey) / 1e15, sum(keys, hoursByKey), complete(keys, hoursByKey));
        }
        Set<String> all = new LinkedHashSet<>();
        cells.forEach(c -> all.add(c.key()));
        out.printf(Locale.ROOT, "%d cells; %.1f PFLOP; GPU-hours %.1f at %s%s%n", cells.size(),
                sum(all, flopsByKey) / 1e15, sum(all, hoursByKey), rate.describe(), complete(all, hoursByKey));
        out.printf(Locale.ROOT, "wall time on %d workers: %.1f hours (%.1f days; each worker one device, cells in plan"
                + " order, students after their teachers)%n", workers,
                WorkerSchedule.wallHours(cells, hoursByKey, workers),
                WorkerSchedule.wallHours(cells, hoursByKey, workers) / 24);
        if (!estimated.isEmpty()) {
            out.println("image counts estimated (data not read): " + String.join(", ", estimated));
        }
    }

    private static double sum(Set<String> keys, Map<String, Double> values) {
        return keys.stream().mapToDouble(k -> values.getOrDefault(k, 0.0)).sum();
    }

    private static String complete(Set<String> keys, Map<String, Double> hoursByKey) {
        long missing = keys.stream().filter(k -> !hoursByKey.containsKey(k)).count();
        return missing == 0 ? "" : " (" + missing + " cell(s) without an estimate: '?' above)";
    }

    /** The cost of one cell: its images per epoch, the evaluation after each epoch, a teacher's forward. */
    private static TrainingCost cost(Cell cell, DataInfo d, ModelInfo m, ModelInfo teacher, boolean few) {
        long eval = few ? Math.min(d.trainImages(), baseCheckImages(cell)) : d.testImages();
        return TrainingCost.of(cell, m.macsPerImage(), teacher == null ? 0 : teacher.macsPerImage(), d.trainImages(),
                eval, few ? d.testImages() : 0);
    }

    private static long baseCheckImages(Cell cell) {
        String v = cell.settings().get("base_check_images");
        return v == null ? 512 : Long.parseLong(v);
    }

    /** The side of the cell's training input, or -1 (with a problem) when its augmentation cannot apply. */
    private static int inputSide(Cell cell, DataInfo d, List<String> problems, Set<String> reported) {
        try {
            Augmentation aug = Augmentation.parse(cell.recipe().augment());
            int[] shape = d.streamed() ? aug.fullOutputShape(d.channels(), d.height(), d.width())
                    : aug.outputShape(d.channels(), d.height(), d.width());
            return shape[1];
        } catch (UserException e) {
            if (reported.add("aug|" + cell.recipe().augment() + "|" + cell.dataset())) {
                problems.add("cell " + cell.fileName() + ": " + e.getMessage());
            }
            return -1;
        }
    }

    private ModelInfo model(String name, DataInfo d, int side, Device device, Map<String, ModelInfo> models,
            List<String> problems, Set<String> reported) {
        String modelKey = name + "|" + d.channels() + "|" + side + "|" + d.classes();
        ModelInfo m = models.computeIfAbsent(modelKey, k -> build(name, d.channels(), side, d.classes(), device));
        if (m.problem() != null && reported.add("model|" + modelKey)) {
            problems.add("model '" + name + "' at " + d.channels() + "x" + side + "x" + side + ", " + d.classes()
                    + " classes: " + m.problem());
        }
        return m;
    }

    /**
     * The rate cells are costed at: a sustained FLOP rate (a device class or {@code --rate TFLOPS}),
     * and measured images/s per model, which replace the estimate for that model.
     */
    record Rates(double flopsPerSecond, String source, Map<String, Double> imagesPerSecond) {
        static Rates parse(List<String> values, DeviceClass gpu) {
            double flops = gpu.flopsPerSecond;
            String source = gpu + "'s assumed sustained " + trimmed(gpu.flopsPerSecond / 1e12) + " TFLOP/s";
            Map<String, Double> perModel = new LinkedHashMap<>();
            for (String v : values) {
                int eq = v.indexOf('=');
                try {
                    if (eq < 0) {
                        flops = positive(Double.parseDouble(v.strip()), v) * 1e12;
                        source = "a sustained " + trimmed(flops / 1e12) + " TFLOP/s (--rate)";
                    } else {
                        perModel.put(v.substring(0, eq).strip(), positive(Double.parseDouble(v.substring(eq + 1)), v));
                    }
                } catch (NumberFormatException e) {
                    throw new UserException("--rate " + v + ": expected TFLOPS (e.g. 40) or MODEL=IMAGES_PER_S (e.g."
                            + " resnet50=900)");
                }
            }
            return new Rates(flops, source, Map.copyOf(perModel));
        }

        private static double positive(double x, String v) {
            if (!(x > 0) || Double.isInfinite(x)) {
                throw new UserException("--rate " + v + ": the rate must be > 0");
            }
            return x;
        }

        private static String trimmed(double x) {
            return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
        }

        /** The hours of a cell: a measured throughput of its model, else its FLOPs at the sustained rate; or null. */
        Double hours(Cell cell, TrainingCost cost, long trainImages) {
            Double measured = imagesPerSecond.get(cell.model());
            if (measured != null) {
                return (double) cell.recipe().epochs() * trainImages / measured / 3600;
            }
            return cost == null ? null : cost.hoursAt(flopsPerSecond);
        }

        String describe() {
            return source + (imagesPerSecond.isEmpty() ? "" : "; measured images/s for "
                    + String.join(", ", new TreeSet<>(imagesPerSecond.keySet())));
        }
    }

    private static DataInfo resolve(String dataset, boolean few, DatasetCatalog catalog, FewShotCatalog fewShot) {
        try {
            List<ImageSet> splits = new ArrayList<>();
            if (few) {
                FewShotCatalog.FewShotSplit s = fewShot.load(dataset);
                splits.add(s.base());
                splits.add(s.novel());
            } else {
                var s = catalog.load(dataset);
                splits.add(s.train());
                splits.add(s.test());
            }
            for (ImageSet set : splits) {
                if (set.count() == 0) {
                    return missing(dataset, few, set.name() + " has no images");
                }
                if (set.isStreamed()) {
                    for (int i : new int[] {0, set.count() - 1}) {
                        ImageFolderReader.decodeFull(set.files().path(i), set.channels());
                    }
                }
            }
            ImageSet train = splits.get(0);
            ImageSet test = splits.get(1);
            String summary = String.format(Locale.ROOT, "%s: %d classes, %d %s images, %d %s images (%d classes)%s",
                    dataset, train.classCount(), train.count(), few ? "base" : "train", test.count(),
                    few ? "novel" : "test", test.classCount(), train.isStreamed() ? ", streamed; first and last"
                            + " files decode" : ", in memory " + train.channels() + "x" + train.height() + "x"
                            + train.width());
            return new DataInfo(null, train.channels(), train.height(), train.width(), train.count(), test.count(),
                    train.classCount(), train.isStreamed(), summary, null);
        } catch (UserException e) {
            return missing(dataset, few, e.getMessage());
        } catch (RuntimeException e) {
            return missing(dataset, few, "cannot be read (" + e.getClass().getSimpleName() + ": " + oneLine(e) + ")");
        }
    }

    /** A data set that did not resolve: a problem, with the paper's shape and counts where they are known. */
    private static DataInfo missing(String dataset, boolean few, String problem) {
        var known = few ? PaperDatasets.fewShot(dataset) : PaperDatasets.classification(dataset);
        if (known.isEmpty()) {
            return new DataInfo(problem, 0, 0, 0, 0, 0, 0, false, null, null);
        }
        PaperDatasets.Size k = known.get();
        return new DataInfo(problem, k.channels(), k.side(), k.side(), k.trainImages(), k.testImages(), k.classes(),
                k.streamed(), dataset + ": not read; costed with " + k.source(), k);
    }

    private ModelInfo build(String model, int channels, int side, int classes, Device device) {
        try (NDManager manager = NDManager.newBaseManager(device);
                Network net = Models.create(model, new ModelSpec(channels, side, classes, 0), 1, manager)) {
            long params = net.store().parameterCount();
            if (noForward) {
                return new ModelInfo(null, params, "-", Double.NaN, 0, net.store().convolutions());
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.zeros(new Shape(2, channels, side, side));
                NetworkOutput[] o = new NetworkOutput[1];
                long macs = MacCounter.count(() -> o[0] = net.forward(x, true)) / 2;
                Shape f = o[0].features().getShape();
                long floats = 0;
                for (NDArray a : scope.getManagedArrays()) {
                    floats += a.getShape().size();
                }
                String cam = f.dimension() == 4 ? f.get(2) + "x" + f.get(3) : f.toString();
                return new ModelInfo(null, params, cam, floats * 4.0 / 2 / 1048576.0, macs,
                        net.store().convolutions());
            }
        } catch (UserException | IllegalArgumentException e) {
            return new ModelInfo(oneLine(e), 0, "?", Double.NaN, 0, List.of());
        } catch (RuntimeException e) {
            return new ModelInfo("does not build or run (" + oneLine(e) + ")", 0, "?", Double.NaN, 0, List.of());
        }
    }

    private static String oneLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }
}
