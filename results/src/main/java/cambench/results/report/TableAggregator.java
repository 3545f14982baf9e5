package cambench.results.report;

import cambench.results.plan.Plan;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.TableSpec;
import cambench.results.record.RunRecord;
import cambench.results.stats.PairedDifference;
import cambench.results.stats.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a plan and the finished run records into per-cell aggregates: the metric over seeds and
 * the paired gain of each row over the table's baseline row on matching seeds.
 */
public final class TableAggregator {
    private final Plan plan;
    private final Map<String, RunRecord> recordsByKey;

    /** Aggregates {@code records} (any order, extra records ignored) for {@code plan}. */
    public TableAggregator(Plan plan, List<RunRecord> records) {
        this.plan = plan;
        this.recordsByKey = new TreeMap<>();
        for (RunRecord r : records) {
            recordsByKey.put(r.key(), r);
        }
    }

    /** Whether at least one cell of the table has a record. */
    public boolean hasRecords(TableSpec table) {
        return plan.cells().stream().anyMatch(p -> p.table().equals(table.id())
                && recordsByKey.containsKey(p.cell().key()));
    }

    /** The aggregates of one table, row-major in spec order. */
    public List<CellResult> aggregate(TableSpec table) {
        List<CellResult> out = new ArrayList<>();
        for (TableSpec.Row row : table.rows()) {
            for (int c = 0; c < table.columns().size(); c++) {
                TableSpec.Column col = table.columns().get(c);
                Map<String, Double> values = values(table, row.id(), col);
                Map<String, Double> base = values(table, table.baselineRow(), col);
                PlannedCell any = plan.cells().stream()
                        .filter(p -> p.table().equals(table.id()) && p.row().equals(row.id())
                                && p.column().equals(col.id()))
                        .findFirst().orElseThrow();
                boolean noGain = table.baselineRow() == null || row.id().equals(table.baselineRow())
                        || row.objective().equals(TableSpec.TEACHER_ROW);
                PairedDifference gain = noGain ? null
                        : pairedGain(values, base, table.lowerIsBetter(), table.pooledSamples());
                double[] v = toArray(values);
                Summary summary = table.pooledSamples() ? Summary.normal95(v) : Summary.of(v);
                out.add(new CellResult(table.id(), row.id(), col.id(), any.cell().dataset(), any.cell().model(),
                        summary, row.paperValue(c), gain));
            }
        }
        return out;
    }

    /** Values by pairing unit: the seed, or seed:index for per-unit samples (episodes). */
    private Map<String, Double> values(TableSpec table, String row, TableSpec.Column column) {
        String metric = table.metricOf(column);
        Map<String, Double> byUnit = new TreeMap<>();
        for (PlannedCell p : plan.cells()) {
            if (p.table().equals(table.id()) && p.row().equals(row) && p.column().equals(column.id())) {
                RunRecord r = recordsByKey.get(p.cell().key());
                if (r == null) {
                    continue;
                }
                if (!table.pooledSamples()) {
                    byUnit.put(Long.toString(p.cell().seed()), r.metric(metric));
                    continue;
                }
                List<Double> samples = r.samples().get(metric);
                if (samples == null) {
                    throw new IllegalStateException("record " + r.key() + " has no samples of " + metric);
                }
                for (int i = 0; i < samples.size(); i++) {
                    byUnit.put(p.cell().seed() + ":" + i, samples.get(i));
                }
            }
        }
        return byUnit;
    }

    private static PairedDifference pairedGain(Map<String, Double> row, Map<String, Double> base,
            boolean lowerIsBetter, boolean normal) {
        List<Double> better = new ArrayList<>();
        List<Double> worse = new ArrayList<>();
        for (Map.Entry<String, Double> e : row.entrySet()) {
            Double b = base.get(e.getKey());
            if (b != null) {
                better.add(lowerIsBetter ? b : e.getValue());
                worse.add(lowerIsBetter ? e.getValue() : b);
            }
        }
        if (better.isEmpty()) {
            return null;
        }
        return PairedDifference.of(toArray(better), toArray(worse), normal);
    }

    private static double[] toArray(Map<String, Double> m) {
        return toArray(new ArrayList<>(m.values()));
    }

    private static double[] toArray(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
