package cambench.harness.run;

import cambench.api.ParamSpec;
import cambench.api.Params;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;

import java.util.List;

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

    /**
     * The numbers this protocol uses that move a result but are neither objective parameters nor
     * recipe fields (dropout, a test-time fine-tuning recipe, ...), with their defaults. A plan
     * resolves them into every cell ({@link Cell#settings}), so they are part of the cell key and
     * of the run record; tables and presets may override them ({@code settings},
     * {@code table_settings}), as may {@code --setting}.
     */
    default List<ParamSpec> settings() {
        return List.of();
    }

    /**
     * The settings of {@code cell}, defaults filled in for any it does not carry (the harness's
     * {@link Cell#ALLOW_DIVERGENCE} is not one of them).
     */
    default Params settingsOf(Cell cell) {
        return Params.resolve("protocol " + name(), settings(), cell.protocolSettings());
    }
}
