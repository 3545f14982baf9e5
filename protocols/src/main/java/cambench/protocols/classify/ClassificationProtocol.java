package cambench.protocols.classify;

import cambench.harness.run.Protocol;
import cambench.harness.run.RunContext;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;

import java.util.Map;

/**
 * Image classification (paper Tables 1-4): train a network with the cell's objective and
 * recipe, report the final test top-1 / top-5 error (see {@link ClassificationRun}). The final
 * weights are kept in {@code OUT/weights/} so that a fine-tune cell (Table 5) can take the backbone.
 */
public final class ClassificationProtocol implements Protocol {

    @Override
    public java.util.List<cambench.api.ParamSpec> settings() {
        return ClassificationRun.SETTINGS;
    }

    @Override
    public String name() {
        return "classification";
    }

    @Override
    public RunRecord run(Cell cell, RunContext context) {
        return ClassificationRun.run(cell, context, null, net -> cambench.protocols.transfer.Backbones.save(
                cambench.protocols.transfer.Backbones.weightsPath(context.store(), cell), net, cell.key()), Map.of());
    }
}
