package cambench.protocols.distill;

import ai.djl.ndarray.NDArray;
import cambench.harness.model.Models;
import cambench.harness.model.Network;
import cambench.harness.run.Protocol;
import cambench.harness.run.RunContext;
import cambench.harness.train.Checkpoint;
import cambench.protocols.classify.ClassificationRun;
import cambench.api.UserException;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Knowledge distillation (paper Table 7, CAT-KD Tables A.1-A.5): a student trained with any
 * objective (kd, at, ccm, catkd, or ce for the student baseline) while a fixed teacher, trained
 * once per (data set, model, recipe, seed) by {@link TeacherProtocol} as a cell of its own (the
 * student's dependency) and loaded from its weights file, sees every batch. The teacher's own error is recorded beside the student's.
 */
public final class DistillationProtocol implements Protocol {

    @Override
    public java.util.List<cambench.api.ParamSpec> settings() {
        return ClassificationRun.SETTINGS;
    }

    @Override
    public String name() {
        return "distillation";
    }

    @Override
    public RunRecord run(Cell cell, RunContext context) {
        Cell teacherCell = cell.teacher();
        if (teacherCell == null) {
            throw new UserException("distillation cell " + cell.fileName() + " names no teacher");
        }
        RunRecord teacherRecord = ensureTeacher(teacherCell, context);
        Path weights = TeacherProtocol.weightsPath(context.store(), teacherCell);
        return ClassificationRun.run(cell, context, (manager, spec) -> {
            Network teacher = Models.create(teacherCell.model(), spec, teacherCell.seed(), manager);
            Map<String, NDArray> arrays = TeacherProtocol.weights(teacher);
            try {
                Checkpoint.load(weights, arrays);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read teacher weights " + weights, e);
            }
            teacher.store().parameters().values().forEach(p -> p.setRequiresGradient(false));
            return teacher;
        }, net -> { }, teacherMetrics(teacherRecord));
    }

    /** The teacher's own error beside the student's, in a fixed order (records are compared byte for byte). */
    private static Map<String, Double> teacherMetrics(RunRecord teacher) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("teacher_top1_error", teacher.metric("top1_error"));
        m.put("teacher_top1_acc", 100 - teacher.metric("top1_error"));
        return m;
    }

    /**
     * The teacher's record. A student never trains its teacher: the teacher is a cell of its own,
     * which the worker loop runs (or waits for) before the student.
     *
     * @throws UserException when the teacher's record or weights are missing
     */
    private static RunRecord ensureTeacher(Cell teacher, RunContext context) {
        RunStore store = context.store();
        var existing = store.find(teacher);
        if (existing.isEmpty()) {
            throw new UserException("teacher " + teacher.fileName() + " has no record yet; train it first"
                    + " (reproduce runs teachers as cells before their students)");
        }
        Path weights = TeacherProtocol.weightsPath(store, teacher);
        if (!Files.exists(weights)) {
            throw new UserException("teacher " + teacher.fileName() + " has a record but no weights file " + weights
                    + "; delete " + store.recordPath(teacher) + " to train it again");
        }
        return existing.get();
    }
}
