package cambench.protocols.classify;

import cambench.harness.run.Protocol;
import cambench.harness.run.RunContext;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;

import java.util.Map;

/**
 * Image classification (paper Tables 1, 3, 4): train a network with the cell's objective and
 * recipe, report the final test top-1 / top-5 error (see {@link ClassificationRun}).
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
        return ClassificationRun.run(cell, context, null, net -> { }, Map.of());
    }
}
