package cambench.results.report;

import cambench.results.stats.PairedDifference;
import cambench.results.stats.Summary;
import tech.tablesaw.aggregate.AggregateFunction;
import tech.tablesaw.aggregate.NumericAggregateFunction;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.function.ToDoubleFunction;

/**
 * tablesaw aggregate functions backed by {@link Summary} and {@link PairedDifference}, for
 * {@code table.summarize(column, ...).by(groups)}. Each group's values reach the statistics in
 * table order, so sort the table first when the order matters for the last bits of a sum.
 *
 * <p>tablesaw names a result column {@code "name [column]"}; {@link #plainNames} strips the
 * bracket.
 */
final class SummaryFunctions {
    /** Number of values in the group (missing ones included), as an integer column. */
    static final AggregateFunction<NumericColumn<?>, Integer> N = new AggregateFunction<>("n") {
        @Override
        public Integer summarize(NumericColumn<?> column) {
            return column.size();
        }

        @Override
        public boolean isCompatibleColumn(ColumnType type) {
            return type == ColumnType.DOUBLE;
        }

        @Override
        public ColumnType returnType() {
            return ColumnType.INTEGER;
        }
    };
    /** Arithmetic mean. */
    static final NumericAggregateFunction MEAN = summary("mean", false, Summary::mean);
    /** Sample standard deviation (n - 1); NaN when n < 2. */
    static final NumericAggregateFunction SD = summary("sd", false, Summary::sd);
    /** Lower end of the Student-t 95% CI of the mean (over seeds). */
    static final NumericAggregateFunction CI_LOW_T = summary("ci_low", false, Summary::ciLow);
    /** Upper end of the Student-t 95% CI of the mean (over seeds). */
    static final NumericAggregateFunction CI_HIGH_T = summary("ci_high", false, Summary::ciHigh);
    /** Lower end of mean - 1.96 sd / sqrt(n) (pooled episodes). */
    static final NumericAggregateFunction CI_LOW_NORMAL = summary("ci_low", true, Summary::ciLow);
    /** Upper end of mean + 1.96 sd / sqrt(n) (pooled episodes). */
    static final NumericAggregateFunction CI_HIGH_NORMAL = summary("ci_high", true, Summary::ciHigh);
    /** Two-sided paired-t p-value of a column of paired differences; NaN when n < 2. */
    static final NumericAggregateFunction PAIRED_P = new NumericAggregateFunction("p") {
        @Override
        public Double summarize(NumericColumn<?> column) {
            return PairedDifference.ofDifferences(column.asDoubleArray(), false).p();
        }
    };

    private SummaryFunctions() {
    }

    /** n, mean, sd and the 95% CI: Student t over seeds, or the normal interval when {@code pooled}. */
    static AggregateFunction<?, ?>[] meanAndCi(boolean pooled) {
        return new AggregateFunction<?, ?>[] {N, MEAN, SD, pooled ? CI_LOW_NORMAL : CI_LOW_T,
            pooled ? CI_HIGH_NORMAL : CI_HIGH_T};
    }

    /** Renames {@code "name [source]"} columns to {@code prefix + name}; returns {@code table}. */
    static Table plainNames(Table table, String prefix) {
        for (Column<?> c : table.columns()) {
            int bracket = c.name().indexOf(" [");
            if (bracket > 0) {
                c.setName(prefix + c.name().substring(0, bracket));
            }
        }
        return table;
    }

    private static NumericAggregateFunction summary(String name, boolean normal, ToDoubleFunction<Summary> stat) {
        return new NumericAggregateFunction(name) {
            @Override
            public Double summarize(NumericColumn<?> column) {
                double[] v = column.asDoubleArray();
                return stat.applyAsDouble(normal ? Summary.normal95(v) : Summary.of(v));
            }
        };
    }
}
