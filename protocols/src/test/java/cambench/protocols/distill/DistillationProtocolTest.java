package cambench.protocols.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cambench.harness.datasets.DatasetCatalog;
import cambench.harness.engine.EngineSetup;
import cambench.api.Objectives;
import cambench.harness.run.RunContext;
import cambench.api.UserException;
import cambench.results.plan.Plan;
import cambench.results.plan.Cell;
import cambench.results.record.Recipe;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A student never trains its teacher, and a pair whose maps cannot be matched fails before any epoch. */
@Tag("engine")
class DistillationProtocolTest {
    @Test
    void unmatchableMaps_failBeforeTraining(@TempDir Path out) {
        EngineSetup.start(2);
        Recipe recipe = new Recipe(1, 16, 0.05, 0.9, false, 5e-4, "cosine", "none");
        String data = "glyphs:classes=4,train=8,test=2,size=16";
        Cell teacher = new Cell(Plan.TEACHER_PROTOCOL, data, "conv4", "ce", Map.of(), recipe, 1);
        Cell student = new Cell("distillation", data, "resnet8", "ccm",
                Map.of("T", "4.0", "beta", "0.5", "gamma", "1.0"), recipe, 1, teacher);
        RunStore store = new RunStore(out);
        RunContext context = new RunContext(store, new DatasetCatalog(null), Objectives.builtIn(), 2, Device.cpu(),
                new PrintStream(OutputStream.nullOutputStream()), "test");
        UserException missing = assertThrows(UserException.class,
                () -> new DistillationProtocol().run(student, context));
        assertTrue(missing.getMessage().startsWith("teacher " + teacher.fileName() + " has no record yet"),
                missing.getMessage());
        assertFalse(Files.exists(TeacherProtocol.weightsPath(store, teacher)), "a student never trains its teacher");
        store.save(new TeacherProtocol().run(teacher, context));
        UserException e = assertThrows(UserException.class, () -> new DistillationProtocol().run(student, context));
        assertTrue(e.getMessage().contains("teacher"), e.getMessage());
        assertFalse(Files.exists(store.checkpointPath(student)), "no student epoch was trained");
    }
}
