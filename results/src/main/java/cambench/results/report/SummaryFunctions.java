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
    /** Number of pooled episodes (samples of all seeds), as an integer column. */
    static final AggregateFunction<NumericColumn<?>, Integer> N_EPISODES = renamed(N, "n_episodes");
    /** Half-width 1.96 sd / sqrt(n) over pooled episodes (the few-shot field's convention); NaN when n < 2. */
    static final NumericAggregateFunction CI95_POOLED = summary("ci95_pooled_episodes", true, Summary::halfWidth);
    /** The pooled-episode columns: n_episodes and ci95_pooled_episodes. */
    static final AggregateFunction<?, ?>[] POOLED_EPISODES = {N_EPISODES, CI95_POOLED};
    /** Two-sided paired-t p-value of a column of paired differences; NaN when n < 2. */
    static final NumericAggregateFunction PAIRED_P = new NumericAggregateFunction("p") {
        @Override
        public Double summarize(NumericColumn<?> column) {
            return PairedDifference.ofDifferences(column.asDoubleArray(), false).p();
        }
    };

    private SummaryFunctions() {
    }

    /** n, mean, sd and the Student-t 95% CI (over seeds). */
    static AggregateFunction<?, ?>[] meanAndCi() {
        return new AggregateFunction<?, ?>[] {N, MEAN, SD, CI_LOW_T, CI_HIGH_T};
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

    private static AggregateFunction<NumericColumn<?>, Integer> renamed(
            AggregateFunction<NumericColumn<?>, Integer> count, String name) {
        return new AggregateFunction<>(name) {
            @Override
            public Integer summarize(NumericColumn<?> column) {
                return count.summarize(column);
            }

            @Override
            public boolean isCompatibleColumn(ColumnType type) {
                return count.isCompatibleColumn(type);
            }

            @Override
            public ColumnType returnType() {
                return count.returnType();
            }
        };
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
