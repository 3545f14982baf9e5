package cambench.results.report;

import cambench.results.stats.PairedDifference;
import cambench.results.stats.Summary;

/**
 * The aggregate of one table cell over seeds.
 *
 * @param table table id
 * @param row row id
 * @param column column id
 * @param datasetUsed data set actually run
 * @param modelUsed model actually run
 * @param summary metric over seeds (mean, Student-t 95% CI)
 * @param paper the paper's number, or null
 * @param gain paired improvement over the baseline row over matching seeds (positive = better),
 *     or null for the baseline row itself or when no seed matches
 */
public record CellResult(String table, String row, String column, String datasetUsed, String modelUsed,
        Summary summary, Double paper, PairedDifference gain) {
}
