package cambench.protocols.distill;

import ai.djl.ndarray.NDArray;
import cambench.harness.model.Network;
import cambench.harness.run.Protocol;
import cambench.harness.run.RunContext;
import cambench.harness.train.Checkpoint;
import cambench.protocols.classify.ClassificationRun;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A teacher: a classification cell whose final weights are kept in {@code OUT/teachers/} under the
 * cell's name (derived from its full config), so every student, in this process or another,
 * reuses the same trained network.
 */
public final class TeacherProtocol implements Protocol {

    @Override
    public java.util.List<cambench.api.ParamSpec> settings() {
        return ClassificationRun.SETTINGS;
    }

    @Override
    public String name() {
        return cambench.results.plan.Plan.TEACHER_PROTOCOL;
    }

    /** Where a teacher cell's weights live. */
    static Path weightsPath(RunStore store, Cell teacher) {
        return store.root().resolve("teachers").resolve(teacher.fileName() + ".params");
    }

    /** Parameters and buffers of a network, by name (what a weights file holds). */
    static Map<String, NDArray> weights(Network net) {
        Map<String, NDArray> arrays = new LinkedHashMap<>(net.store().parameters());
        arrays.putAll(net.store().buffers());
        return arrays;
    }

    @Override
    public RunRecord run(Cell cell, RunContext context) {
        Path weights = weightsPath(context.store(), cell);
        return ClassificationRun.run(cell, context, null, net -> {
            try {
                Checkpoint.save(weights, weights(net), "{\"teacher\": \"" + cell.key() + "\"}");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write teacher weights " + weights, e);
            }
        }, Map.of());
    }
}
