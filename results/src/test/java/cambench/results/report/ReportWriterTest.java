package cambench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.results.plan.Plan;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.Preset;
import cambench.results.plan.TableSpec;
import cambench.results.plan.Cell;
import cambench.results.record.EpochMetrics;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class ReportWriterTest {
    static final Recipe RECIPE = new Recipe(2, 32, 0.1, 0.9, true, 5e-4, "cosine", "none");
    static final TableSpec TABLE = new TableSpec("table3", "Losses", "paper Table 3", "classification", "top1_error",
            "top-1 error (%)", true, "ce", RECIPE, "note",
            List.of(new TableSpec.Column("c100", "CIFAR-100 ResNet-110", "cifar100", "resnet110", null)),
            List.of(new TableSpec.Row("ce", "CE loss", "ce", Map.of(), List.of(27.68)),
                    new TableSpec.Row("cam", "CAM-loss", "cam", Map.of(), List.of(26.56))));
    static final Preset PRESET = new Preset("smoke", "tiny", 4, List.of("table3"), Map.of("cifar100", "glyphs"),
            Map.of("resnet110", "resnet8"), Map.of(), Map.of());

    private static RunRecord record(Cell c, double err) {
        return new RunRecord(1, c.key(), c, Map.of("top1_error", err), List.<EpochMetrics>of(), Map.of(), Map.of(),
                "a", "b", 1, 0);
    }

    @Test
    void report_fourSeeds_writesCiAndPairedGainFromRecords(@TempDir Path dir) throws IOException {
        Plan plan = Plan.of(PRESET, List.of(TABLE), (o, p) -> p);
        double[] ce = {27.9, 27.0, 28.1, 27.6};
        double[] cam = {27.1, 26.5, 27.9, 26.8};
        List<RunRecord> records = new ArrayList<>();
        for (PlannedCell p : plan.cells()) {
            double[] v = p.row().equals("ce") ? ce : cam;
            records.add(record(p.cell(), v[(int) p.cell().seed() - 1]));
        }
        List<Path> files = new ReportWriter(plan, records).write(dir);
        assertEquals(3, files.size());
        assertTrue(Files.size(dir.resolve("table3.png")) > 1000);
        List<String> csv = Files.readAllLines(dir.resolve("table3.csv"));
        assertEquals(3, csv.size());
        String camLine = csv.get(2);
        // mean 27.075, CI [26.117, 28.033] (scipy t.interval); gain 0.575 [0.118, 1.032], p 0.02794
        assertTrue(camLine.startsWith("table3,cam,c100,glyphs,resnet8,top1_error,4,27.075,0.60208,26.117,28.033,26.56,"
                + "0.515,4,0.575,0.117956,1.03204,0.0279392"), camLine);
        String md = Files.readString(dir.resolve("table3.md"));
        assertTrue(md.contains("27.08 ± 0.96 (n=4) (paper 26.56)"), md);
        assertTrue(md.contains("**+0.58 [0.12, 1.03] p=0.0279 (n=4)**"), md);
        assertTrue(md.contains("not the paper's setting"), md);
    }

    @Test
    void report_noRecords_writesNothing(@TempDir Path dir) throws IOException {
        Plan plan = Plan.of(PRESET, List.of(TABLE), (o, p) -> p);
        assertTrue(new ReportWriter(plan, List.of()).write(dir).isEmpty());
    }
}
