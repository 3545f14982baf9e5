package cambench.app;

import cambench.harness.data.Augmentation;
import cambench.harness.data.BatchLoader;
import cambench.harness.data.ImageFiles;
import cambench.harness.data.ImageSet;
import cambench.harness.data.Normalization;
import cambench.harness.datasets.DataSplit;
import cambench.harness.datasets.DatasetCatalog;
import cambench.harness.engine.ProcessClock;
import cambench.results.store.RunStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cambench bench data}: images per second and peak resident memory of the input pipeline
 * alone (decode + augmentation + batching, no model) on a data set spec, for a thread count.
 *
 * <p>Streamed sets (e.g. {@code imagefolder:root=DIR,stream=on}) decode every image from its file
 * in {@code --threads} decoder threads; the consumer does no work, so the rate is the producer's.
 * The first {@code --warmup} batches (JIT, thread start) are not timed. {@code cpu_ms_per_image}
 * is the process CPU time per image (all threads), a per-core rate that load on a shared machine
 * stretches less than wall time.
 */
@Command(name = "data", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Data pipeline speed: images/s of decode + augmentation for a data set spec; peak RSS.")
final class DataBenchCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, description = "data set spec, e.g. imagefolder:root=DIR,stream=on")
    String dataset;

    @Option(names = "--data-root", description = "folder holding real data sets (for imagenet, cub, ...)")
    Path dataRoot;

    @Option(names = "--split", defaultValue = "train", description = "train or test")
    String split;

    @Option(names = "--threads", defaultValue = "1", description = "decoder threads")
    int threads;

    @Option(names = "--batch", defaultValue = "64", description = "batch size")
    int batch;

    @Option(names = "--batches", defaultValue = "40", description = "timed batches (fewer if the split ends)")
    int batches;

    @Option(names = "--warmup", defaultValue = "4", description = "untimed batches first (>= 1)")
    int warmup;

    @Option(names = "--augment", description = "augmentation spec; default rrc224,flip for train, the data set's"
            + " test transform for test")
    String augment;

    @Option(names = "--bad-images", defaultValue = "fail", description = "unreadable images: skip or fail")
    String badImages;

    @Option(names = "--json", description = "print one JSON object instead of lines")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (threads < 1 || batch < 1 || batches < 1 || warmup < 1 || !(split.equals("train") || split.equals("test"))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads, --batch, --batches and --warmup must be >= 1, --split train or test");
        }
        long t0 = System.nanoTime();
        DatasetCatalog catalog = new DatasetCatalog(dataRoot, ImageFiles.BadImages.parse(badImages, "--bad-images"));
        DataSplit data = catalog.load(dataset);
        double listSeconds = (System.nanoTime() - t0) / 1e9;
        ImageSet set = split.equals("train") ? data.train() : data.test();
        String aug = augment != null ? augment : split.equals("train") ? "rrc224,flip" : data.testAugment();
        BatchLoader loader = BatchLoader.builder().setData(set).setBatchSize(batch)
                .optAugmentation(Augmentation.parse(aug, Normalization.IMAGENET)).optThreads(threads).optSeed(1)
                .optPrefetch(Math.min(16, Math.max(2, threads))).build();
        long images = 0;
        int done = 0;
        long start = 0;
        long cpuStart = 0;
        int timedBatches = 0;
        try (BatchLoader.Epoch it = loader.epoch(0)) {
            while (done < warmup + batches && it.hasNext()) {
                int n = it.next().size();
                done++;
                if (done == warmup) {
                    start = System.nanoTime();
                    cpuStart = ProcessClock.cpuNanos();
                } else if (done > warmup) {
                    images += n;
                    timedBatches++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMsPerImage = (ProcessClock.cpuNanos() - cpuStart) / 1e6 / Math.max(1, images);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spec", dataset);
        out.put("split", split);
        out.put("images_in_split", set.count());
        out.put("streamed", set.isStreamed());
        out.put("augment", aug);
        out.put("threads", threads);
        out.put("batch", batch);
        out.put("timed_batches", timedBatches);
        out.put("timed_images", images);
        out.put("seconds", seconds);
        out.put("images_per_s", images / seconds);
        out.put("images_per_s_per_thread", images / seconds / threads);
        out.put("cpu_ms_per_image", cpuMsPerImage);
        out.put("images_per_cpu_s", 1000 / cpuMsPerImage);
        out.put("list_seconds", listSeconds);
        out.put("peak_rss_mb", TrainBenchCommand.rssMb("VmHWM"));
        out.put("heap_max_mb", Runtime.getRuntime().maxMemory() / 1048576.0);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        if (json) {
            spec.commandLine().getOut().println(RunStore.json().writeValueAsString(out));
        } else {
            out.forEach((k, v) -> spec.commandLine().getOut().printf(Locale.ROOT, "%-24s %s%n", k, v));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
