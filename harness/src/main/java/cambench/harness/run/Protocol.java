package cambench.harness.run;

import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;

/**
 * An experimental protocol (classification, few-shot, distillation, ...): one cell in, one run
 * record out. Registered in {@code META-INF/services/cambench.harness.run.Protocol}; a protocol
 * never names a loss.
 */
public interface Protocol {

    /** The name cells refer to, e.g. {@code classification}. */
    String name();

    /**
     * Runs a cell to completion, resuming from its checkpoint when one exists.
     *
     * @throws cambench.api.UserException for a bad cell (unknown model, data, objective)
     */
    RunRecord run(Cell cell, RunContext context);
}
