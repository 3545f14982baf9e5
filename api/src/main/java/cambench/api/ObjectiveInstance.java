package cambench.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A created objective together with its provider, its resolved parameters and the manager that
 * holds its arrays; what {@link Objectives#create} returns and what the trainer runs.
 *
 * <p>It computes exactly what the wrapped objective computes. Whoever creates it closes it (or the
 * parent manager it was created under) when the run ends; {@link #releaseStrays()} is called after
 * every training step.
 */
public final class ObjectiveInstance implements Objective, AutoCloseable {
    private final ObjectiveProvider provider;
    private final Params params;
    private final NDManager manager;
    private final Objective objective;
    private final Set<NDArray> created;

    ObjectiveInstance(ObjectiveProvider provider, Params params, int classes, int featureChannels, NDManager parent) {
        this.provider = provider;
        this.params = params;
        this.manager = parent.newSubManager();
        try {
            this.objective = provider.create(new ObjectiveContext(params, classes, featureChannels, manager));
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
        this.created = Collections.newSetFromMap(new IdentityHashMap<>());
        created.addAll(ownArrays());
    }

    /** The provider that created it. */
    public ObjectiveProvider provider() {
        return provider;
    }

    /** The registry name ({@link ObjectiveProvider#name()}). */
    public String name() {
        return provider.name();
    }

    /** Loss or distiller ({@link ObjectiveProvider#kind()}). */
    public ObjectiveProvider.Kind kind() {
        return provider.kind();
    }

    /** The resolved parameters it was created with. */
    public Params params() {
        return params;
    }

    /** The objective as its provider created it (e.g. to reach a built-in's own methods in tests). */
    public Objective objective() {
        return objective;
    }

    @Override
    public LossTerms terms(StepOutputs out) {
        return objective.terms(out);
    }

    @Override
    public LossTerms mixedTerms(StepOutputs out) {
        return objective.mixedTerms(out);
    }

    @Override
    public void afterStep(StepOutputs out) {
        objective.afterStep(out);
    }

    @Override
    public Map<String, NDArray> state() {
        return objective.state();
    }

    /**
     * Closes the arrays of the objective's own manager that a step left there: everything except
     * what was created with the objective and what {@link #state()} lists now. Arrays of managers
     * the objective made under its own are left alone.
     *
     * @return how many arrays were closed
     */
    public int releaseStrays() {
        Set<NDArray> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        keep.addAll(created);
        keep.addAll(objective.state().values());
        int closed = 0;
        for (NDArray a : ownArrays()) {
            if (!keep.contains(a)) {
                a.close();
                closed++;
            }
        }
        return closed;
    }

    private java.util.List<NDArray> ownArrays() {
        return manager.getManagedArrays().stream().filter(a -> a.getManager() == manager).toList();
    }

    /** Frees every array of the objective. */
    @Override
    public void close() {
        manager.close();
    }
}
