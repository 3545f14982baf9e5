package cambench.results.report;

import cambench.results.stats.PairedDifference;
import cambench.results.stats.Summary;
import tech.tablesaw.api.Row;

/**
 * The aggregate of one table cell over seeds: a typed view of one row of
 * {@link TableAggregator#aggregate}.
 *
 * @param table table id
 * @param row row id
 * @param column column id
 * @param datasetUsed data set actually run
 * @param modelUsed model actually run
 * @param summary metric over seeds (mean, Student-t 95% CI); with per-unit samples each seed's
 *     value is the mean of its samples
 * @param paper the paper's number, or null
 * @param gain paired improvement over the baseline row over matching seeds (positive = better),
 *     or null for the baseline row itself or when no seed matches
 * @param episodes number of episodes of all seeds pooled, or null for a table without per-unit samples
 * @param ci95PooledEpisodes half-width 1.96 sd / sqrt(n) over those pooled episodes (the few-shot
 *     field's convention; NaN when fewer than 2), or null for a table without per-unit samples
 * @param bestEpoch the best-epoch value over seeds ({@link cambench.results.record.BestEpoch}; n = 0
 *     when no record has one), or null for a table with per-unit samples
 * @param health the cell's training-health marks ({@link HealthMarks}), "" when none or not computed
 */
public record CellResult(String table, String row, String column, String datasetUsed, String modelUsed,
        Summary summary, Double paper, PairedDifference gain, Integer episodes, Double ci95PooledEpisodes,
        Summary bestEpoch, String health) {

    /** Reads one row of an aggregate table (missing numbers are NaN, a missing gain is null). */
    public static CellResult of(Row r) {
        Summary summary = new Summary(r.getInt("n"), r.getDouble("mean"), r.getDouble("sd"),
                r.getDouble("ci_low"), r.getDouble("ci_high"));
        PairedDifference gain = r.isMissing("gain_n") ? null : new PairedDifference(new Summary(r.getInt("gain_n"),
                r.getDouble("gain_mean"), r.getDouble("gain_sd"), r.getDouble("gain_ci_low"),
                r.getDouble("gain_ci_high")), r.getDouble("gain_p"));
        boolean pooled = r.columnNames().contains("n_episodes");
        Summary best = r.columnNames().contains("best_n") ? new Summary(r.getInt("best_n"), r.getDouble("best_mean"),
                r.getDouble("best_sd"), r.getDouble("best_ci_low"), r.getDouble("best_ci_high")) : null;
        return new CellResult(r.getString("table"), r.getString("row"), r.getString("column"),
                r.getString("dataset_used"), r.getString("model_used"), summary,
                r.isMissing("paper") ? null : r.getDouble("paper"), gain,
                pooled ? r.getInt("n_episodes") : null, pooled ? r.getDouble("ci95_pooled_episodes") : null, best,
                r.columnNames().contains(HealthMarks.COLUMN) ? r.getString(HealthMarks.COLUMN) : "");
    }
}
