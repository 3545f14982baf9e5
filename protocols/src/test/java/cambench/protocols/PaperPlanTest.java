package cambench.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.Objectives;
import cambench.harness.datasets.PaperDatasets;
import cambench.harness.run.Protocols;
import cambench.harness.run.TrainingCost;
import cambench.results.plan.Cell;
import cambench.results.plan.Plan;
import cambench.results.plan.PlanBuilder;
import cambench.results.plan.PlanResources;
import cambench.results.plan.PlannedCell;
import cambench.results.plan.TableSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code paper} plan, read as a reviewer reads it: one cell per paper number whichever tables
 * print it, CloserLook's 15 queries and colour jitter, CutMix's ImageNet augmentation, students
 * that never start from their teacher's weights, no ImageNet ShakeDrop cells unless asked for,
 * and the training cost of one cell checked by hand. Engine-free.
 */
class PaperPlanTest {
    private static final ClassLoader LOADER = PaperPlanTest.class.getClassLoader();
    private static Plan plan;

    private static PlanBuilder builder() {
        return new PlanBuilder(new PlanResources(LOADER), Objectives.builtIn(), new Protocols(LOADER)::settings);
    }

    @BeforeAll
    static void planPaper() {
        plan = builder().build("paper", List.of(), null, List.of(), Map.of());
    }

    /** The cells of (table, row, column), one per seed, in seed order. */
    private static List<String> keys(String table, String row, String column) {
        List<String> keys = plan.cells().stream().filter(p -> p.table().equals(table) && p.row().equals(row)
                && p.column().equals(column)).map(p -> p.cell().key()).toList();
        assertFalse(keys.isEmpty(), table + "/" + row + "/" + column + " is not planned");
        return keys;
    }

    private static void assertShared(String row, String... tableColumns) {
        List<String> first = keys(tableColumns[0].split("/")[0], row, tableColumns[0].split("/")[1]);
        assertEquals(3, first.size());
        assertEquals(3, new HashSet<>(first).size(), "three seeds, three trainings");
        for (String tc : tableColumns) {
            assertEquals(first, keys(tc.split("/")[0], row, tc.split("/")[1]), row + ": " + tc + " vs " + tableColumns[0]);
        }
    }

    @Test
    void sharedPaperNumbers_areOneCellInEveryTableThatPrintsThem() {
        // 28.8 / 27.34: CIFAR-100 ResNet-56 (Tables 1, 4; the CE student baseline of Table 7 (d))
        assertShared("ce", "table1/c100_resnet56", "table4/c100_resnet56", "table7/d");
        assertShared("cam", "table1/c100_resnet56", "table4/c100_resnet56");
        // 27.68 / 26.56: CIFAR-100 ResNet-110 (Tables 3, 4)
        assertShared("ce", "table3/c100_resnet110", "table4/c100_resnet110");
        assertShared("cam", "table3/c100_resnet110", "table4/c100_resnet110");
        // 23.68 / 22.98: ImageNet ResNet-50 (Tables 1, 2 top-1 and top-5, 4); 22.3 / 21.73: ResNet-101 (Tables 1, 4)
        for (String row : new String[] {"ce", "cam"}) {
            assertShared(row, "table1/in_resnet50", "table2/in_resnet50_top1", "table2/in_resnet50_top5",
                    "table4/in_resnet50");
            assertShared(row, "table1/in_resnet101", "table4/in_resnet101");
        }
        // the pretraining of Table 5 is Table 1's cell
        assertEquals(keys("table1", "ce", "in_resnet50"), plan.cells().stream().filter(p -> p.table().equals("table5")
                && p.row().equals("ce") && p.column().equals("cub_resnet50")).map(p -> p.cell().teacher().key()).toList());
    }

    @Test
    void everyRepeatedPaperNumber_ofOneSetting_isOneCell() {
        // a (data set, model, objective + regularizers, value) printed by two tables is one run in the paper
        Map<String, Set<String>> cellsOf = new LinkedHashMap<>();
        for (TableSpec t : plan.tables()) {
            for (TableSpec.Row r : t.rows()) {
                for (int c = 0; c < t.columns().size(); c++) {
                    Double v = r.paperValue(c);
                    TableSpec.Column col = t.columns().get(c);
                    if (v == null || r.objective().equals(TableSpec.TEACHER_ROW)) {
                        continue;
                    }
                    for (PlannedCell p : plan.cells()) {
                        if (p.table().equals(t.id()) && p.row().equals(r.id()) && p.column().equals(col.id())) {
                            String what = col.dataset() + "|" + col.model() + "|" + col.teacher() + "|"
                                    + p.cell().objectiveWithRegularizers() + "|" + v + "|s" + p.cell().seed();
                            cellsOf.computeIfAbsent(what, k -> new TreeSet<>()).add(p.cell().key());
                        }
                    }
                }
            }
        }
        List<String> twice = new ArrayList<>();
        cellsOf.forEach((what, keys) -> {
            if (keys.size() > 1) {
                twice.add(what + " " + keys);
            }
        });
        assertEquals(List.of(), twice, "paper numbers trained by two cells");
    }

    @Test
    void planSize_andTheOmittedImageNetShakeDropCells() {
        assertEquals(409, plan.distinctCells().size());
        assertTrue(plan.cells().stream().noneMatch(p -> p.table().equals("table2") && p.column().startsWith("in_")
                && p.row().contains("shakedrop")));
        Plan all = builder().includeOmitted(true).build("paper", List.of(), null, List.of(), Map.of());
        assertEquals(409 + 12, all.distinctCells().size(), "4 rows x 3 seeds; top-1 and top-5 share cells");
    }

    @Test
    void fewShotCells_15QueriesJitterCloserLookSplit() {
        List<Cell> few = plan.distinctCells().stream().filter(c -> c.protocol().startsWith("fewshot")).toList();
        assertEquals(36, few.size());   // 2 tables x 3 data sets (1 and 5 shots share a cell) x 2 rows x 3 seeds
        for (Cell c : few) {
            assertEquals("15", c.settings().get("query"), c.fileName());
            assertEquals("5", c.settings().get("way"));
            assertEquals("1,5", c.settings().get("shots"));
            assertEquals("600", c.settings().get("episodes"));
            assertEquals("rrc224,jitter,flip", c.recipe().augment());
            assertFalse(c.dataset().contains("split="), "CUB runs the default closerlook split");
        }
    }

    @Test
    void imageNetCells_cutMixAugmentation_wrnCells_dropout() {
        for (Cell c : plan.distinctCells()) {
            if (c.dataset().equals("imagenet")) {
                assertEquals("rrc224,flip,cjitter,lighting", c.recipe().augment(), c.fileName());
                assertEquals(120, c.recipe().epochs(), c.fileName());
            }
            if (c.model().equals("wrn_28_10")) {
                assertEquals("0.3", c.settings().get("dropout"), c.fileName());
            }
        }
        assertEquals(512, plan.cells().stream().filter(p -> p.column().equals("in_resnext101")).findFirst()
                .orElseThrow().cell().recipe().batchSize());
    }

    @Test
    void students_neverStartFromTheirTeachersWeights() {
        List<Cell> students = plan.distinctCells().stream().filter(Cell::trainsBesideTeacher).toList();
        assertTrue(students.size() > 100, "distillation students: " + students.size());
        Set<Long> seeds = new HashSet<>();
        for (Cell s : students) {
            assertEquals(s.teacher().seed(), s.teacher().initSeed(), "a teacher initialises from its seed");
            assertNotEquals(s.teacher().initSeed(), s.initSeed(), s.fileName());
            seeds.add(s.initSeed());
        }
        assertEquals(students.size(), seeds.size(), "every student its own initialisation");
        // the self-distillation pairs of A.1 and A.2: same model as the teacher, seed 1 like the teacher
        for (String[] tc : new String[][] {{"tableA1", "r110"}, {"tableA2", "r32x4"}}) {
            Cell s = plan.cells().stream().filter(p -> p.table().equals(tc[0]) && p.column().equals(tc[1])
                    && p.row().equals("cat") && p.cell().seed() == 1).findFirst().orElseThrow().cell();
            assertEquals(s.teacher().model(), s.model());
            assertNotEquals(s.teacher().initSeed(), s.initSeed());
        }
        // cells without a teacher keep their seed as the initialisation, and their keys
        plan.distinctCells().stream().filter(c -> c.teacher() == null).forEach(c -> assertEquals(c.seed(), c.initSeed()));
    }

    @Test
    void cost_table1Cifar100ResNet56Ce_matchesHandCount() {
        Cell cell = plan.cells().stream().filter(p -> p.table().equals("table1") && p.row().equals("ce")
                && p.column().equals("c100_resnet56") && p.cell().seed() == 1).findFirst().orElseThrow().cell();
        PaperDatasets.Size cifar = PaperDatasets.classification(cell.dataset()).orElseThrow();
        // ResNet-56 forward MACs per 32x32 image, 100 classes (hand count; MacCounterTest checks the model gives it)
        long macs = 125_753_600L;
        TrainingCost cost = TrainingCost.of(cell, macs, 0, cifar.trainImages(), cifar.testImages(), 0);
        assertEquals(160, cost.epochs());
        assertEquals(49_920, cost.trainImagesPerEpoch());   // 390 batches of 128
        // 2 FLOPs/MAC x (3 passes x 49,920 training images + 10,000 test images) x 160 epochs
        assertEquals(6_428_926_443_520_000.0, cost.flops());
        assertEquals(6_428_926_443_520_000.0 / 60e12 / 3600, cost.hoursAt(60e12), 1e-12);
    }
}
