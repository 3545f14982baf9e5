package cambench.results.report;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;
import tech.tablesaw.io.csv.CsvWriteOptions;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Report CSVs through tablesaw's CSV writer: a header of column names, {@code \n} line ends,
 * fields quoted only where they hold a comma (or a line break), missing numbers empty, numbers
 * printed by each column's print formatter.
 */
final class Csv {
    /** Six significant digits, no exponent, no trailing zeros ({@code 27.075}, {@code 0.117956}, {@code 95}). */
    static NumberColumnFormatter significant6() {
        return new NumberColumnFormatter() {
            @Override
            public String format(double v) {
                return Double.isNaN(v) ? "" : new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros()
                        .toPlainString();
            }
        };
    }
    /** Four decimals ({@code 93.1250}). */
    static NumberColumnFormatter fixed4() {
        return new NumberColumnFormatter() {
            @Override
            public String format(double v) {
                return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
            }
        };
    }

    private Csv() {
    }

    /** The columns {@code columns} of {@code table}, in that order, as UTF-8 CSV. */
    static byte[] bytes(Table table, String... columns) {
        Table out = table.selectColumns(columns);
        StringWriter text = new StringWriter();
        out.write().csv(CsvWriteOptions.builder(text).lineEnd("\n").usePrintFormatters(true)
                .ignoreLeadingWhitespaces(false).ignoreTrailingWhitespaces(false).escapeChar('"').build());
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sets {@code format} as the print formatter of the double columns {@code columns}; returns {@code table}. */
    static Table format(Table table, Supplier<NumberColumnFormatter> format, String... columns) {
        for (String c : columns) {
            DoubleColumn column = table.doubleColumn(c);
            column.setPrintFormatter(format.get());
        }
        return table;
    }
}
