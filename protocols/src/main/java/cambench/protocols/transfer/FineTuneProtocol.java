package cambench.protocols.transfer;

import cambench.api.UserException;
import cambench.harness.run.Protocol;
import cambench.harness.run.RunContext;
import cambench.protocols.classify.ClassificationRun;
import cambench.results.plan.Cell;
import cambench.results.record.RunRecord;
import cambench.results.store.RunStore;

import java.nio.file.Path;
import java.util.Map;

/**
 * Transfer learning (paper Table 5; docs/transfer.md): a fine-tune cell depends on its pretraining
 * cell ({@link Cell#teacher()}), a classification cell of the same model that keeps its final
 * weights. The new network takes the pretrained backbone, a freshly initialised classifier for the
 * target classes, and trains the whole network with the fine-tune cell's objective and recipe on
 * the target data; the record carries the pretraining's own test error beside the target's.
 *
 * <p>A pretraining cell is either planned ({@code classification}; trained first when its record
 * or its weights are missing) or a user's file ({@link #USER_BACKBONE} protocol: its data set
 * field is the file, its parameters hold the file's SHA-256, so the key follows the content).
 */
public final class FineTuneProtocol implements Protocol {
    /** The protocol name of fine-tune cells. */
    public static final String NAME = "finetune";
    /** The protocol of a pretraining "cell" that is a user's weights file (never run). */
    public static final String USER_BACKBONE = "backbone-file";

    @Override
    public java.util.List<cambench.api.ParamSpec> settings() {
        return ClassificationRun.SETTINGS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunRecord run(Cell cell, RunContext context) {
        Cell pre = cell.teacher();
        if (pre == null) {
            throw new UserException("fine-tune cell " + cell.fileName() + " names no pretraining cell");
        }
        if (!pre.model().equals(cell.model())) {
            throw new UserException("fine-tune cell " + cell.fileName() + ": model " + cell.model()
                    + " cannot take the backbone of pretraining model " + pre.model());
        }
        Path weights;
        Map<String, Double> extra;
        if (pre.protocol().equals(USER_BACKBONE)) {
            weights = Path.of(pre.dataset());
            extra = Map.of();
        } else {
            RunRecord preRecord = ensurePretraining(pre, context);
            weights = Backbones.weightsPath(context.store(), pre);
            extra = Map.of("pretrain_top1_error", preRecord.metric("top1_error"));
        }
        return ClassificationRun.run(cell, context, null, net -> Backbones.loadBackbone(weights, net), net -> { },
                extra);
    }

    /**
     * The pretraining cell's record. A fine-tune cell never trains its pretraining: that is a cell
     * of its own (Table 1's, say), which the worker loop runs (or waits for) first.
     *
     * @throws UserException when the pretraining record or its weights are missing
     */
    private static RunRecord ensurePretraining(Cell pre, RunContext context) {
        RunStore store = context.store();
        var existing = store.find(pre);
        if (existing.isEmpty()) {
            throw new UserException("pretraining cell " + pre.fileName() + " has no record yet; train it first"
                    + " (reproduce runs it as a cell before the fine-tune cells that need it)");
        }
        if (!Backbones.exists(store, pre)) {
            throw new UserException("pretraining cell " + pre.fileName() + " has a record but no weights file; delete "
                    + store.recordPath(pre) + " to train it again");
        }
        return existing.get();
    }
}
