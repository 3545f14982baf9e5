package cambench.app;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cambench.harness.fewshot.BatchedFineTuner;
import cambench.harness.fewshot.Episode;
import cambench.harness.fewshot.EpisodeSampler;
import cambench.harness.fewshot.FeatureCache;
import cambench.harness.fewshot.FineTuneHead;
import cambench.harness.fewshot.FineTuneRecipe;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cambench bench fewshot}: the batched test-time fine-tuning solver on random features
 * (20 novel classes of noisy clusters), episodes per second; the target is 600 5-way 5-shot
 * episodes of 512-d features in at most 5 s on 2 cores.
 */
@Command(name = "fewshot", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Few-shot solver speed: fine-tune a head per episode on random features, all episodes batched.")
final class FewShotBenchCommand implements Callable<Integer> {
    @Option(names = "--way", defaultValue = "5", description = "classes per episode")
    int way;

    @Option(names = "--shot", defaultValue = "5", description = "support images per class")
    int shot;

    @Option(names = "--query", defaultValue = "15", description = "query images per class")
    int query;

    @Option(names = "--dim", defaultValue = "512", description = "feature dimension")
    int dim;

    @Option(names = "--episodes", defaultValue = "600", description = "episodes")
    int episodes;

    @Option(names = "--head", defaultValue = "cosine", description = "cosine (Baseline++) or linear (Baseline)")
    String head;

    @Option(names = "--json", description = "print one JSON object instead of a line")
    boolean json;

    @Mixin
    EngineOptions engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (way < 2 || shot < 1 || query < 1 || dim < 1 || episodes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--way must be >= 2 and --shot, --query, --dim, --episodes >= 1");
        }
        FineTuneHead kind = switch (head) {
            case "cosine" -> FineTuneHead.COSINE;
            case "linear" -> FineTuneHead.LINEAR;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--head must be cosine or linear, got " + head);
        };
        Device device = engine.start();
        int classes = Math.max(20, way);
        FeatureCache cache = FeatureCache.syntheticClusters(classes, shot + query + 4, dim, 0.6, 1);
        Episode[] eps = new EpisodeSampler(cache.indicesByClass(), cache.classes(), way, shot, query, 1)
                .episodes(episodes);
        BatchedFineTuner solver = new BatchedFineTuner(kind, FineTuneRecipe.CLOSER_LOOK, 1, 1000, engine.threads);
        double[] acc;
        long t0;
        double seconds;
        try (NDManager m = NDManager.newBaseManager(device)) {
            solver.solve(cache, java.util.Arrays.copyOf(eps, Math.min(8, episodes)), m); // warm-up
            t0 = System.nanoTime();
            acc = solver.solve(cache, eps, m);
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        double mean = java.util.Arrays.stream(acc).average().orElse(Double.NaN);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("episodes_per_s", episodes / seconds);
        out.put("episodes", episodes);
        out.put("seconds", seconds);
        out.put("way", way);
        out.put("shot", shot);
        out.put("query", query);
        out.put("dim", dim);
        out.put("head", head);
        out.put("threads", engine.threads);
        out.put("device", device.toString());
        out.put("mean_accuracy", mean);
        if (json) {
            spec.commandLine().getOut().println(cambench.results.store.RunStore.json().writeValueAsString(out));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%d %d-way %d-shot episodes (%d-d, %s head) in %.2f s: %.1f episodes/s, mean accuracy %.2f%%%n",
                    episodes, way, shot, dim, head, seconds, episodes / seconds, mean);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
