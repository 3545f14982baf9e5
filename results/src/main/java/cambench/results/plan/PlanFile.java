package cambench.results.plan;

import cambench.api.UserException;
import cambench.results.plan.Plan;
import cambench.results.store.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code OUT/plans/HASH.json}: every plan run on a store (several may share one), and
 * {@code OUT/plan.json}: the latest, which {@code report} renders unless told a hash.
 */
public final class PlanFile {
    private PlanFile() {
    }

    public static Path path(RunStore store) {
        return store.root().resolve("plan.json");
    }

    /** Where the plan with {@code hash} lives. */
    public static Path path(RunStore store, String hash) {
        return store.root().resolve("plans").resolve(hash + ".json");
    }

    /** Writes {@code plans/HASH.json} (once) and {@code plan.json}. */
    public static void write(RunStore store, Plan plan) throws IOException {
        byte[] bytes = RunStore.json().writeValueAsBytes(plan);
        Path byHash = path(store, plan.hash());
        if (!Files.exists(byHash)) {
            RunStore.createAtomically(byHash, bytes);
        }
        RunStore.writeAtomically(path(store), bytes);
    }

    /** The plan {@code hash} of a store. */
    public static Plan read(RunStore store, String hash) {
        Path p = path(store, hash);
        if (!Files.exists(p)) {
            throw new UserException(p + ": no plan " + hash + " in this store");
        }
        return read(p);
    }

    public static Plan read(RunStore store) {
        Path p = path(store);
        if (!Files.exists(p)) {
            throw new UserException(p + ": missing; run `cambench reproduce --out " + store.root() + "` first");
        }
        return read(p);
    }

    private static Plan read(Path p) {
        try {
            return RunStore.json().readValue(p.toFile(), Plan.class);
        } catch (IOException e) {
            throw new UserException(p + ": not a plan file (" + e.getMessage().split("\n")[0] + ")", e);
        }
    }
}
