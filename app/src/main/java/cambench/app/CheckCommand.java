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
import cambench.harness.engine.OneDnnCaches;
import cambench.harness.model.ConvShape;
import cambench.harness.model.KernelCheck;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.harness.model.NetworkOutput;
import cambench.api.Objectives;
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
 * {@code cambench check}: everything a preset needs, checked without training.
 *
 * <p>For every cell of the plan: its data set resolves (folders, class lists, counts) and the first
 * and last file of each split decode (streamed sets; in-memory sets decode whole); its model builds
 * for the recipe's input size, and one forward pass gives the CAM map size, the parameter count and
 * an activation-memory estimate (every tensor one training-mode forward of 2 images creates,
 * scaled to the recipe's batch; the backward pass roughly doubles it); the device starts; the
 * engine's convolution kernels compute every convolution of the plan's models at the recipes' batch
 * sizes ({@link KernelCheck}: probed where the cache sizes oneDNN reads are hidden, implausible or
 * unknown, or with {@code --probe-kernels}; one {@code kernels} line says which). Prints
 * a table of the cells with a GPU-hours estimate where {@code --rate MODEL=IMAGES_PER_S} (from
 * {@code cambench bench train --device gpu}) gives the throughput, then one line per problem; exit
 * 2 when there is any.
 */
@Command(name = "check", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Preflight a preset without training: data sets, models, memory, device; exit 2 on problems.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    PlanOptions planOptions;

    @Option(names = "--data-root", description = "folder holding real data sets (cifar-10-batches-bin, imagenet, ...)")
    Path dataRoot;

    @Option(names = "--rate", description = "training throughput MODEL=IMAGES_PER_S (repeatable), e.g. resnet50=900;"
            + " gives GPU-hours per cell")
    Map<String, Double> rates = new LinkedHashMap<>();

    @Option(names = "--no-forward", description = "build models without the forward pass (faster; no CAM size,"
            + " no activation estimate)")
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

    /** What a data set spec resolved to, or why it did not. */
    private record DataInfo(String problem, int channels, int trainImages, int classes, boolean streamed,
            ImageSet train, String summary) {
    }

    /** What a model built to, with the configurations of its convolutions. */
    private record ModelInfo(String problem, long parameters, String camMap, double activationMbPerImage,
            List<ConvShape> convolutions) {
    }

    @Override
    public Integer call() {
        ClassLoader loader = plugins.loader();
        Objectives objectives = plugins.objectives(loader);
        Plan plan = planOptions.plan(loader, objectives, Map.of(), Map.of());
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
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-4s %-7s %-34s %-16s %-9s %-8s %-9s %-10s %-7s %-8s%n", "#", "table", "dataset",
                "model", "input", "cam_map", "params_M", "act_GiB", "epochs", "gpu_h");
        double totalHours = 0;
        boolean allRated = true;
        Set<String> reported = new LinkedHashSet<>();
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
            String hours = "?";
            if (d.problem() == null) {
                int side;
                try {
                    Augmentation aug = Augmentation.parse(cell.recipe().augment());
                    ImageSet t = d.train();
                    int[] shape = t.isStreamed() ? aug.fullOutputShape(t.channels(), t.height(), t.width())
                            : aug.outputShape(t.channels(), t.height(), t.width());
                    side = shape[1];
                    input = shape[0] + "x" + shape[1] + "x" + shape[2];
                } catch (UserException e) {
                    side = -1;
                    if (reported.add("aug|" + cell.recipe().augment() + "|" + cell.dataset())) {
                        problems.add("cell " + cell.fileName() + ": " + e.getMessage());
                    }
                }
                if (side > 0) {
                    int s = side;
                    Device dev = device;
                    String modelKey = cell.model() + "|" + d.channels() + "|" + side + "|" + d.classes();
                    ModelInfo m = models.computeIfAbsent(modelKey, k -> build(cell.model(), d.channels(), s,
                            d.classes(), dev));
                    if (m.problem() != null && reported.add("model|" + modelKey)) {
                        problems.add("model '" + cell.model() + "' at " + input + ", " + d.classes() + " classes: "
                                + m.problem());
                    }
                    if (m.problem() == null) {
                        convolutions.addAll(m.convolutions());
                        batchSizes.add(cell.recipe().batchSize());
                        camMap = m.camMap();
                        params = String.format(Locale.ROOT, "%.2f", m.parameters() / 1e6);
                        act = Double.isNaN(m.activationMbPerImage()) ? "?" : String.format(Locale.ROOT, "%.2f",
                                m.activationMbPerImage() * cell.recipe().batchSize() / 1024);
                    }
                    Double rate = rates.get(cell.model());
                    if (rate != null && rate > 0) {
                        double h = (double) cell.recipe().epochs() * d.trainImages() / rate / 3600;
                        totalHours += h;
                        hours = String.format(Locale.ROOT, "%.2f", h);
                    } else {
                        allRated = false;
                    }
                }
            }
            out.printf(Locale.ROOT, "%-4d %-7s %-34s %-16s %-9s %-8s %-9s %-10s %-7d %-8s%n", i,
                    String.join(",", new TreeSet<>(tablesOf.getOrDefault(cell.key(), List.of("-")))),
                    abbreviate(cell.dataset(), 34), cell.model(), input, camMap, params, act, cell.recipe().epochs(),
                    hours);
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
        out.printf(Locale.ROOT, "%d cells; GPU-hours %s%s%n", cells.size(),
                String.format(Locale.ROOT, "%.1f", totalHours), allRated ? "" : " for the rated models (pass --rate"
                        + " MODEL=IMAGES_PER_S from `cambench bench train --device gpu --model MODEL` for the rest)");
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
                    return new DataInfo(set.name() + " has no images", 0, 0, 0, false, null, null);
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
            return new DataInfo(null, train.channels(), train.count(), train.classCount(), train.isStreamed(), train,
                    summary);
        } catch (UserException e) {
            return new DataInfo(e.getMessage(), 0, 0, 0, false, null, null);
        } catch (RuntimeException e) {
            return new DataInfo("cannot be read (" + e.getClass().getSimpleName() + ": " + oneLine(e) + ")", 0, 0, 0,
                    false, null, null);
        }
    }

    private ModelInfo build(String model, int channels, int side, int classes, Device device) {
        try (NDManager manager = NDManager.newBaseManager(device);
                Network net = Models.create(model, new ModelSpec(channels, side, classes, 0), 1, manager)) {
            long params = net.store().parameterCount();
            if (noForward) {
                return new ModelInfo(null, params, "-", Double.NaN, net.store().convolutions());
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.zeros(new Shape(2, channels, side, side));
                NetworkOutput o = net.forward(x, true);
                Shape f = o.features().getShape();
                long floats = 0;
                for (NDArray a : scope.getManagedArrays()) {
                    floats += a.getShape().size();
                }
                String cam = f.dimension() == 4 ? f.get(2) + "x" + f.get(3) : f.toString();
                return new ModelInfo(null, params, cam, floats * 4.0 / 2 / 1048576.0, net.store().convolutions());
            }
        } catch (UserException | IllegalArgumentException e) {
            return new ModelInfo(oneLine(e), 0, "?", Double.NaN, List.of());
        } catch (RuntimeException e) {
            return new ModelInfo("does not build or run (" + oneLine(e) + ")", 0, "?", Double.NaN, List.of());
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
