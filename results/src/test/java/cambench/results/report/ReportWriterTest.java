package cambench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.results.plan.Plan;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.Preset;
import cambench.results.plan.TableSpec;
import cambench.results.plan.Cell;
import cambench.results.record.EpochMetrics;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import cambench.results.record.TrainingHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
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

    static final String CSV_COLUMNS = "table,row,column,dataset_used,model_used,metric,n,mean,sd,ci_low,ci_high,paper,"
            + "diff_from_paper,gain_n,gain_mean,gain_ci_low,gain_ci_high,gain_p";
    /** A table of one number per run: the columns, the best-epoch columns, then the training-health marks. */
    static final String CSV_HEADER = CSV_COLUMNS + ",best_n,best_mean,best_ci_low,best_ci_high,health";

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
        assertEquals(CSV_HEADER, csv.get(0));
        String camLine = csv.get(2);
        // mean 27.075, CI [26.117, 28.033] (scipy t.interval); gain 0.575 [0.118, 1.032], p 0.02794
        assertTrue(camLine.startsWith("table3,cam,c100,glyphs,resnet8,top1_error,4,27.075,0.60208,26.117,28.033,26.56,"
                + "0.515,4,0.575,0.117956,1.03204,0.0279392"), camLine);
        String md = Files.readString(dir.resolve("table3.md"));
        assertTrue(md.contains("27.08 ± 0.96 (n=4) (paper 26.56)"), md);
        assertTrue(md.contains("**+0.58 [0.12, 1.03] p=0.0279 (n=4)**"), md);
        assertTrue(md.contains("not the paper's setting"), md);
    }

    /** A health with only the fields a mark reads set: the last epoch at chance, or an allowed blow-up. */
    private static TrainingHealth health(boolean atChance, String divergence) {
        return new TrainingHealth(0, 2.3, 1.1, 1, 10, 200, 90, 83.64, 45, 88, 2, atChance ? 90 : 30, atChance, 0,
                !divergence.isEmpty(), divergence, TrainingHealth.Limits.DEFAULT);
    }

    @Test
    void report_flaggedAndFailedRuns_areMarkedInCsvAndMarkdown(@TempDir Path dir) throws IOException {
        Plan plan = Plan.of(PRESET, List.of(TABLE), (o, p) -> p);
        List<RunRecord> records = new ArrayList<>();
        Map<String, String> failed = new java.util.HashMap<>();
        String failedName = null;
        String flaggedName = null;
        for (PlannedCell p : plan.cells()) {
            Cell c = p.cell();
            if (p.row().equals("cam") && c.seed() == 4) {
                failed.put(c.key(), "loss_blow_up at epoch 3");
                failedName = c.fileName();
                continue;
            }
            TrainingHealth h = p.row().equals("cam") && c.seed() == 1 ? health(true, "")
                    : p.row().equals("cam") && c.seed() == 2 ? health(false, "loss_blow_up: training blew up") : null;
            if (h != null && h.finalAtChance()) {
                flaggedName = c.fileName();
            }
            records.add(new RunRecord(1, c.key(), c, Map.of("top1_error", 30.0), List.of(), Map.of(), Map.of(), "a",
                    "b", 1, 0, Map.of(), h));
        }
        new ReportWriter(plan, records, failed).write(dir);
        List<String> csv = Files.readAllLines(dir.resolve("table3.csv"));
        assertEquals("table3,ce,c100,glyphs,resnet8,top1_error,4,30,0,30,30,27.68,2.32,,,,,,0,,,,", csv.get(1),
                "ce: nothing marked");
        assertTrue(csv.get(2).endsWith(",diverged 1/4; at_chance 1/4; failed 1/4"), csv.get(2));
        String md = Files.readString(dir.resolve("table3.md"));
        assertTrue(md.contains("| CAM-loss | 30.00 ± 0.00 (n=3) † (paper 26.56) |"), md);
        assertTrue(md.contains("| CE loss | 30.00 ± 0.00 (n=4) (paper 27.68) |"), md);
        assertTrue(md.contains("† Training health (docs/trust.md)"), md);
        assertTrue(md.contains("- CAM-loss / CIFAR-100 ResNet-110: `" + flaggedName + "`: last epoch at chance (test"
                + " error 90.00% >= 83.64% for 10 classes on 200 images; best 88.00% at epoch 2, it never learned)"), md);
        assertTrue(md.contains("`: diverged (the table allows it): loss_blow_up: training blew up"), md);
        assertTrue(md.contains("- CAM-loss / CIFAR-100 ResNet-110: `" + failedName + "`: failed, no record:"
                + " loss_blow_up at epoch 3"), md);
    }

    /** A record whose epochs have these test top-1 (and top-5 = top-1 / 4) errors; the result is the last. */
    private static RunRecord withEpochs(Cell c, double... top1) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int e = 0; e < top1.length; e++) {
            epochs.add(new EpochMetrics(e + 1, 0.1, 1.0, Map.of(), 0.5, top1[e], top1[e] / 4 + e, 1.0));
        }
        double last = top1[top1.length - 1];
        return new RunRecord(1, c.key(), c, Map.of("top1_error", last, "top5_error", last / 4 + top1.length - 1,
                "top1_acc", 100 - last), epochs, Map.of(), Map.of(), "a", "b", 1, 0);
    }

    @Test
    void report_bestEpochColumn_isEachRunsLowestTop1Epoch_labelledBesideTheLast(@TempDir Path dir) throws IOException {
        TableSpec table = new TableSpec("table3", "Losses", "paper Table 3", "classification", "top1_error",
                "error (%)", true, "ce", RECIPE, "note",
                List.of(new TableSpec.Column("c100", "CIFAR-100 ResNet-110", "cifar100", "resnet110", null),
                        new TableSpec.Column("c100_top5", "top-5", "cifar100", "resnet110", null, "top5_error", null,
                                null)),
                List.of(new TableSpec.Row("ce", "CE loss", "ce", Map.of(), List.of(27.68, 8.0)),
                        new TableSpec.Row("cam", "CAM-loss", "cam", Map.of(), List.of(26.56, 7.0))));
        Preset preset = new Preset("smoke", "tiny", 2, List.of("table3"), Map.of(), Map.of(), Map.of(), Map.of());
        Plan plan = Plan.of(preset, List.of(table), (o, p) -> p);
        Map<String, double[]> curves = Map.of("ce1", new double[] {40, 30, 31}, "ce2", new double[] {39, 29, 29},
                "cam1", new double[] {38, 28, 30}, "cam2", new double[] {37, 36, 26});
        List<RunRecord> records = new ArrayList<>();
        for (PlannedCell p : plan.cells()) {
            if (p.column().equals("c100")) {
                records.add(withEpochs(p.cell(), curves.get(p.row() + p.cell().seed())));
            }
        }
        new ReportWriter(plan, records).write(dir);
        List<String> csv = Files.readAllLines(dir.resolve("table3.csv"));
        // ce: best epochs 30 (epoch 2) and 29 (epoch 2, the first of two equal): mean 29.5; last epochs 31, 29
        assertTrue(csv.get(1).startsWith("table3,ce,c100,cifar100,resnet110,top1_error,2,30,"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",2,29.5,23.1469,35.8531,"), csv.get(1));   // 29.5 -+ 12.7062 * 0.5
        // top-5 at the best top-1 epoch (CutMix's train.py): ce 30/4 + 1 = 8.5, 29/4 + 1 = 8.25; cam 8, 6.5 + 2
        assertTrue(csv.get(2).endsWith(",2,8.375,6.78672,9.96328,"), csv.get(2));
        assertTrue(csv.get(4).startsWith("table3,cam,c100_top5,"), csv.get(4));
        assertTrue(csv.get(4).contains(",2,8.25,"), csv.get(4));
        String md = Files.readString(dir.resolve("table3.md"));
        assertTrue(md.contains("30.00 ± 12.71 (n=2) · best 29.50 (paper 27.68)"), md);
        assertTrue(md.contains("`best` = the mean of each run's best epoch"), md);
    }

    @Test
    void report_noRecords_writesNothing(@TempDir Path dir) throws IOException {
        Plan plan = Plan.of(PRESET, List.of(TABLE), (o, p) -> p);
        assertTrue(new ReportWriter(plan, List.of()).write(dir).isEmpty());
    }

    @Test
    void report_cellWithoutRecords_hasZeroNAndEmptyFields(@TempDir Path dir) throws IOException {
        Preset preset = new Preset("smoke", "tiny", 4, List.of("table3"),
                Map.of("cifar100", "glyphs:classes=20,train=8"), Map.of("resnet110", "resnet8"), Map.of(), Map.of());
        Plan plan = Plan.of(preset, List.of(TABLE), (o, p) -> p);
        double[] ce = {27.9, 27.0, 28.1, 27.6};
        List<RunRecord> records = new ArrayList<>();
        for (PlannedCell p : plan.cells()) {
            if (p.row().equals("ce")) {
                records.add(record(p.cell(), ce[(int) p.cell().seed() - 1]));
            }
        }
        new ReportWriter(plan, records).write(dir);
        // ce: mean 27.65, sd 0.479583, CI [26.8869, 28.4131] (scipy t.interval); the comma in the data set quotes it
        assertEquals(List.of(CSV_HEADER,
                "table3,ce,c100,\"glyphs:classes=20,train=8\",resnet8,top1_error,4,27.65,0.479583,26.8869,28.4131,"
                        + "27.68,-0.03,,,,,,0,,,,",
                "table3,cam,c100,\"glyphs:classes=20,train=8\",resnet8,top1_error,0,,,,,26.56,,,,,,,0,,,,"),
                Files.readAllLines(dir.resolve("table3.csv")));
        String md = Files.readString(dir.resolve("table3.md"));
        assertTrue(md.contains("| CAM-loss | – (paper 26.56) |\n"), md);
        assertTrue(md.contains("| CAM-loss | – |\n"), md);
    }

    @Test
    void report_noBaselineRow_writesNoGains(@TempDir Path dir) throws IOException {
        TableSpec noBaseline = new TableSpec("table3", "Losses", "paper Table 3", "classification", "top1_error",
                "top-1 error (%)", true, null, RECIPE, "note", TABLE.columns(), TABLE.rows());
        Plan plan = Plan.of(PRESET, List.of(noBaseline), (o, p) -> p);
        List<RunRecord> records = new ArrayList<>();
        for (PlannedCell p : plan.cells()) {
            records.add(record(p.cell(), p.row().equals("ce") ? 27.0 + p.cell().seed() : 26.0));
        }
        new ReportWriter(plan, records).write(dir);
        // ce: 28, 29, 30, 31: mean 29.5, sd 1.29099, CI 29.5 -+ 2.05426 (scipy t.interval)
        assertEquals(List.of(CSV_HEADER,
                "table3,ce,c100,glyphs,resnet8,top1_error,4,29.5,1.29099,27.4457,31.5543,27.68,1.82,,,,,,0,,,,",
                "table3,cam,c100,glyphs,resnet8,top1_error,4,26,0,26,26,26.56,-0.56,,,,,,0,,,,"),
                Files.readAllLines(dir.resolve("table3.csv")));
        assertFalse(Files.readString(dir.resolve("table3.md")).contains("Paired gain"));
    }

    @Test
    void report_fewShotEpisodes_ciAndGainOverSeedMeans_pooledIntervalExtra(@TempDir Path dir) throws IOException {
        TableSpec fewShot = new TableSpec("table6", "Few-shot", "paper Table 6", "fewshot", "acc_1shot",
                "accuracy (%)", false, "ce", RECIPE, "note",
                List.of(new TableSpec.Column("one", "1-shot", "mini", "conv4", null, "acc_1shot", null, null)),
                List.of(new TableSpec.Row("ce", "Baseline++", "ce", Map.of(), List.of(52.0)),
                        new TableSpec.Row("cam", "CAM-loss", "cam", Map.of(), List.of(54.0))), null, null, null, "samples");
        Preset preset = new Preset("smoke", "tiny", 3, List.of("table6"), Map.of(), Map.of(), Map.of(), Map.of());
        Plan plan = Plan.of(preset, List.of(fewShot), (o, p) -> p);
        Map<String, double[]> episodes = Map.of("ce1", new double[] {40, 52}, "ce2", new double[] {47, 49},
                "ce3", new double[] {45, 50}, "cam1", new double[] {44, 55}, "cam2", new double[] {46, 59},
                "cam3", new double[] {49, 50});
        List<RunRecord> records = new ArrayList<>();
        for (PlannedCell p : plan.cells()) {
            double[] acc = episodes.get(p.row() + p.cell().seed());
            // the record's own value is deliberately off: the report averages the samples itself
            records.add(new RunRecord(1, p.cell().key(), p.cell(), Map.of("acc_1shot", 0.0),
                    List.of(), Map.of(), Map.of(), "a", "b", 1, 0,
                    Map.of("acc_1shot", List.of(acc[0], acc[1]))));
        }
        new ReportWriter(plan, records).write(dir);
        List<String> csv = Files.readAllLines(dir.resolve("table6.csv"));
        assertEquals(CSV_COLUMNS + ",n_episodes,ci95_pooled_episodes,health", csv.get(0));
        // Expected values from numpy/scipy 1.17 (stats.t.interval, stats.ttest_rel), independent of this code.
        // Seed means: ce 46, 48, 47.5 (mean 47.1667, sd 1.04083, t CI [44.5811, 49.7522]);
        // cam 49.5, 52.5, 49.5 (mean 50.5, sd 1.73205, t CI [46.1973, 54.8027]).
        // Gain per seed 3.5, 4.5, 2: mean 3.33333, t CI [0.207529, 6.45914], ttest_rel p 0.0443630.
        // Pooled episodes (6 per row): ce sd 4.26224 -> 1.96 sd / sqrt 6 = 3.41044; cam sd 5.61249 -> 4.49084.
        assertEquals("table6,ce,one,mini,conv4,acc_1shot,3,47.1667,1.04083,44.5811,49.7522,52,-4.83333,,,,,,6,3.41044,",
                csv.get(1));
        assertEquals("table6,cam,one,mini,conv4,acc_1shot,3,50.5,1.73205,46.1973,54.8027,54,-3.5,3,3.33333,0.207529,"
                + "6.45914,0.044363,6,4.49084,", csv.get(2));
        String md = Files.readString(dir.resolve("table6.md"));
        assertTrue(md.contains("50.50 ± 4.30 (n=3) [± 4.49 over 6 pooled episodes] (paper 54.00)"), md);
        assertTrue(md.contains("the few-shot field's convention"), md);
        assertTrue(md.contains("**+3.33 [0.21, 6.46] p=0.0444 (n=3)**"), md);
    }

    @Test
    void report_curves_writeMeanAndBandPerEpoch(@TempDir Path dir) throws IOException {
        TableSpec curves = new TableSpec("table3", "Losses", "paper Table 3", "classification", "top1_error",
                "top-1 error (%)", true, "ce", RECIPE, "note", TABLE.columns(), TABLE.rows(), "c100", null, null, null);
        Plan plan = Plan.of(PRESET, List.of(curves), (o, p) -> p);
        Map<String, double[]> errors = Map.of("ce1", new double[] {60, 50, 45}, "ce2", new double[] {62, 49, 44},
                "ce3", new double[] {58, 53, 46}, "ce4", new double[] {61, 51, 47},
                "cam1", new double[] {59, 48, 42}, "cam2", new double[] {60, 47, 41},
                "cam3", new double[] {57, 50, 44}, "cam4", new double[] {61, 49});
        List<RunRecord> records = new ArrayList<>();
        for (PlannedCell p : plan.cells()) {
            double[] e = errors.get(p.row() + p.cell().seed());
            List<EpochMetrics> epochs = new ArrayList<>();
            for (int i = 0; i < e.length; i++) {
                epochs.add(new EpochMetrics(i + 1, 0.1, 1.0, Map.of(), 0.5, e[i], e[i] / 2, 1.0));
            }
            records.add(new RunRecord(1, p.cell().key(), p.cell(), Map.of("top1_error", e[e.length - 1]), epochs,
                    Map.of(), Map.of(), "a", "b", 1, 0));
        }
        List<Path> files = new ReportWriter(plan, records).write(dir);
        assertEquals(5, files.size());
        // scipy t.interval over the 4 seeds; CAM-loss stops at epoch 2, where one run ends
        assertEquals(List.of("table,row,column,epoch,n,mean,ci_low,ci_high",
                "table3,CE loss,c100,1,4,60.2500,57.5325,62.9675",
                "table3,CE loss,c100,2,4,50.7500,48.0325,53.4675",
                "table3,CE loss,c100,3,4,45.5000,43.4457,47.5543",
                "table3,CAM-loss,c100,1,4,59.2500,56.5325,61.9675",
                "table3,CAM-loss,c100,2,4,48.5000,46.4457,50.5543"),
                Files.readAllLines(dir.resolve("table3_curves.csv")));
        BufferedImage png = ImageIO.read(dir.resolve("table3_curves.png").toFile());
        assertEquals(760, png.getWidth());
        assertTrue(bandPixels(png) > 10000, "band pixels: " + bandPixels(png));
    }

    /**
     * Light, coloured pixels: a translucent band over white (lines and text are dark or grey).
     * Anti-aliased lines alone give about 700; with the bands this chart has some 46000.
     */
    private static int bandPixels(BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                int min = Math.min(c.getRed(), Math.min(c.getGreen(), c.getBlue()));
                int max = Math.max(c.getRed(), Math.max(c.getGreen(), c.getBlue()));
                if (min > 170 && max - min > 12) {
                    count++;
                }
            }
        }
        return count;
    }
}
