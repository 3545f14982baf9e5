package cambench.results.record;

import cambench.results.plan.Cell;

import java.util.List;
import java.util.Map;

/**
 * Everything about one finished cell; the only source of numbers in reports.
 *
 * @param format record format version
 * @param key the cell key
 * @param cell the cell (full config, seed)
 * @param metrics final metrics by name, e.g. {@code top1_error}, {@code top5_error} (in %)
 * @param epochs per-epoch metrics
 * @param data what the data sets were (name, sizes, classes, source path)
 * @param environment versions, host, threads, device, JVM
 * @param startedAt ISO-8601 start time
 * @param finishedAt ISO-8601 end time
 * @param wallSeconds total wall time including resumed parts
 * @param resumedFromEpoch 0 when run in one go, else the last epoch restored from a checkpoint
 * @param samples per-unit values behind a metric (e.g. the accuracy of every few-shot episode,
 *     in a fixed order so that methods pair up), by metric name; empty when the metric is one
 *     number per run
 * @param health how the training went (docs/trust.md); null in records written before it existed
 */
public record RunRecord(int format, String key, Cell cell, Map<String, Double> metrics,
        List<EpochMetrics> epochs, Map<String, String> data, Map<String, String> environment,
        String startedAt, String finishedAt, double wallSeconds, int resumedFromEpoch,
        Map<String, List<Double>> samples, TrainingHealth health) {

    /** A record without training health (tests, records of runs without a training loop). */
    public RunRecord(int format, String key, Cell cell, Map<String, Double> metrics, List<EpochMetrics> epochs,
            Map<String, String> data, Map<String, String> environment, String startedAt, String finishedAt,
            double wallSeconds, int resumedFromEpoch, Map<String, List<Double>> samples) {
        this(format, key, cell, metrics, epochs, data, environment, startedAt, finishedAt, wallSeconds,
                resumedFromEpoch, samples, null);
    }

    /** A record without per-unit samples. */
    public RunRecord(int format, String key, Cell cell, Map<String, Double> metrics, List<EpochMetrics> epochs,
            Map<String, String> data, Map<String, String> environment, String startedAt, String finishedAt,
            double wallSeconds, int resumedFromEpoch) {
        this(format, key, cell, metrics, epochs, data, environment, startedAt, finishedAt, wallSeconds,
                resumedFromEpoch, Map.of());
    }

    /** Treats absent samples as none. */
    public RunRecord {
        samples = samples == null ? Map.of() : samples;
    }
    /** The flags of {@link #health} ({@link TrainingHealth#flags}); none when it is absent. */
    public List<String> healthFlags() {
        return health == null ? List.of() : health.flags();
    }

    /** The current record format. */
    public static final int FORMAT = 1;

    /** A final metric. */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("record " + key + " has no metric " + name);
        }
        return v;
    }
}
