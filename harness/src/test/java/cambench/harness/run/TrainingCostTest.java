package cambench.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cambench.results.plan.Cell;
import cambench.results.record.Recipe;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Training cost arithmetic and the wall time of a plan on N workers; engine-free. */
class TrainingCostTest {
    private static final Recipe RECIPE = new Recipe(160, 128, 0.1, 0.9, true, 1e-4, "cosine", "crop32:4,flip");

    @Test
    void of_dropsTheLastPartialBatch_countsTrainEvalTeacherAndOncePasses() {
        Cell cell = new Cell("classification", "cifar100", "resnet56", "ce", Map.of(), RECIPE, 1);
        TrainingCost c = TrainingCost.of(cell, 1_000, 0, 50_000, 10_000, 0);
        assertEquals(390 * 128, c.trainImagesPerEpoch());   // 50,000 / 128 = 390 full batches
        assertEquals(6_000.0, c.trainFlopsPerImage());
        assertEquals(6_000.0 * 49_920 * 160 + 2_000.0 * 10_000 * 160, c.flops());
        assertEquals(c.flops() / 1e12 / 3600, c.hoursAt(1e12), 1e-12);
        TrainingCost student = new TrainingCost(1_000, 4_000, 10, 0, 5, 2);
        assertEquals(2.0 * (3_000 + 4_000), student.trainFlopsPerImage());
        assertEquals(14_000.0 * 10 * 2 + 2_000.0 * 5, student.flops());
        assertEquals(7, TrainingCost.of(cell, 1, 0, 7, 0, 0).trainImagesPerEpoch(), "fewer images than a batch: all");
    }

    @Test
    void wallHours_listSchedulesInPlanOrder_studentsWaitForTeachers() {
        Cell teacher = new Cell("teacher", "d", "big", "ce", Map.of(), RECIPE, 1);
        Cell a = new Cell("distillation", "d", "small", "kd", Map.of(), RECIPE, 1, teacher);
        Cell b = new Cell("distillation", "d", "small", "kd", Map.of(), RECIPE, 2, teacher);
        Cell c = new Cell("classification", "d", "small", "ce", Map.of(), RECIPE, 1);
        Map<String, Double> h = Map.of(teacher.key(), 5.0, a.key(), 2.0, b.key(), 2.0, c.key(), 1.0);
        List<Cell> plan = List.of(teacher, a, b, c);
        assertEquals(10.0, WorkerSchedule.wallHours(plan, h, 1));
        // worker 2 runs c at 0-1, then waits for the teacher (5); a and b run 5-7 side by side
        assertEquals(7.0, WorkerSchedule.wallHours(plan, h, 2));
        assertEquals(7.0, WorkerSchedule.wallHours(plan, h, 8));
    }
}
