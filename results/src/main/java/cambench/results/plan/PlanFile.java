package cambench.results.plan;

import cambench.api.UserException;
import cambench.results.plan.Plan;
import cambench.results.store.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code OUT/plan.json}: the plan a store was filled for, so {@code report} can render it. */
public final class PlanFile {
    private PlanFile() {
    }

    public static Path path(RunStore store) {
        return store.root().resolve("plan.json");
    }

    public static void write(RunStore store, Plan plan) throws IOException {
        RunStore.writeAtomically(path(store), RunStore.json().writeValueAsBytes(plan));
    }

    public static Plan read(RunStore store) {
        Path p = path(store);
        if (!Files.exists(p)) {
            throw new UserException(p + ": missing; run `cambench reproduce --out " + store.root() + "` first");
        }
        try {
            return RunStore.json().readValue(p.toFile(), Plan.class);
        } catch (IOException e) {
            throw new UserException(p + ": not a plan file (" + e.getMessage().split("\n")[0] + ")", e);
        }
    }
}
