package cambench.harness.run;

import cambench.results.plan.Cell;
import cambench.results.plan.Plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wall time of a plan on N workers as {@code reproduce --workers N} (or N Slurm tasks) would
 * run it: whenever a worker is free it takes the first cell in plan order that nobody took and
 * whose dependencies (a student's teacher) have finished, else it waits for the next one to
 * finish. Every cell takes its estimated hours; claims, start-up and data loading are not counted.
 */
public final class WorkerSchedule {
    private WorkerSchedule() {
    }

    /**
     * The hours until the last cell finishes.
     *
     * @param cells the distinct cells in plan order (dependencies first)
     * @param hours estimated hours by cell key (a cell without an estimate takes 0)
     * @param workers workers (>= 1)
     */
    public static double wallHours(List<Cell> cells, Map<String, Double> hours, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        double[] free = new double[workers];
        Map<String, Double> finish = new HashMap<>();
        List<Cell> pending = new ArrayList<>(cells);
        double end = 0;
        while (!pending.isEmpty()) {
            int w = 0;
            for (int i = 1; i < workers; i++) {
                if (free[i] < free[w]) {
                    w = i;
                }
            }
            double now = free[w];
            Cell next = null;
            double earliestDependency = Double.POSITIVE_INFINITY;
            for (Cell c : pending) {
                double ready = readyAt(c, finish);
                if (ready <= now) {
                    next = c;
                    break;
                }
                earliestDependency = Math.min(earliestDependency, ready);
            }
            if (next == null) {
                if (earliestDependency == Double.POSITIVE_INFINITY) {
                    throw new IllegalStateException("a cell depends on one that is not in the plan");
                }
                free[w] = earliestDependency;
                continue;
            }
            pending.remove(next);
            double done = now + hours.getOrDefault(next.key(), 0.0);
            finish.put(next.key(), done);
            free[w] = done;
            end = Math.max(end, done);
        }
        return end;
    }

    /** When every dependency of {@code c} has finished (+infinity while one has not started). */
    private static double readyAt(Cell c, Map<String, Double> finish) {
        double ready = 0;
        for (Cell d : Plan.dependencies(c)) {
            Double f = finish.get(d.key());
            if (f == null) {
                return Double.POSITIVE_INFINITY;
            }
            ready = Math.max(ready, f);
        }
        return ready;
    }
}
