package cambench.baselines.reg;

import cambench.api.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import cambench.api.ParamSpec;
import cambench.api.Progress;
import cambench.api.Regularizer;
import cambench.api.RegularizerProvider;
import cambench.api.ResidualGate;

import java.util.List;
import java.util.Optional;

/**
 * DropBlock (Ghiasi et al., NeurIPS 2018) on the residual branches of the deeper half of the
 * residual units (the last two stages of a ResNet, as the paper's ResNet-50 setting): in training,
 * square blocks of side {@code block} (at most the map's side) are zeroed, their centres drawn per
 * sample and channel with rate {@code gamma = (1 - keep) / block^2 * HW / ((H - block + 1)(W - block + 1))},
 * and the branch is rescaled by (elements / kept elements); evaluation leaves the branch as it is.
 * With {@code schedule=linear} (the default, as the DropBlock paper recommends) the keep probability
 * falls linearly from 1 to {@code keep} over training, per epoch: {@code 1 - (1 - keep)(e + 1)/E} in
 * epoch e (0-based) of E, so the last epoch runs at {@code keep}; {@code schedule=constant} uses
 * {@code keep} throughout.
 */
public final class DropBlock implements Regularizer, ResidualGate {
    private final double keep;
    private final int block;
    private final boolean linear;

    /** Creates it; {@code keep} in (0, 1], {@code block >= 1}; {@code linear}: the keep probability falls from 1. */
    public DropBlock(double keep, int block, boolean linear) {
        this.keep = keep;
        this.block = block;
        this.linear = linear;
    }

    /** The keep probability at {@code progress}. */
    public double keepProbability(Progress progress) {
        if (!linear || progress.isSteadyState()) {
            return keep;
        }
        double done = Math.min(1.0, (progress.epoch() + 1.0) / progress.epochs());
        return 1 - (1 - keep) * done;
    }

    @Override
    public Optional<ResidualGate> residualGate() {
        return Optional.of(this);
    }

    @Override
    public NDArray apply(NDArray branch, int unit, int units, boolean training, Progress progress) {
        double keepNow = keepProbability(progress);
        if (!training || keepNow >= 1 || 2 * unit < units) {
            return branch;
        }
        Shape s = branch.getShape();
        long h = s.get(2);
        long w = s.get(3);
        int b = (int) Math.min(block, Math.min(h, w));
        if (b % 2 == 0) {
            b--;   // odd, so that the max pool keeps the map's size
        }
        double gamma = (1 - keepNow) / (b * b) * (h * w) / ((h - b + 1) * (double) (w - b + 1));
        NDArray centres = branch.getManager().randomUniform(0f, 1f, s).lt((float) gamma).toType(
                ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray dropped = Pool.maxPool2d(centres, new Shape(b, b), new Shape(1, 1), new Shape(b / 2, b / 2), false);
        NDArray mask = dropped.neg().add(1f);
        float kept = mask.sum().getFloat();
        if (kept == 0) {
            return branch.zerosLike();
        }
        return branch.mul(Scalars.times(mask, (float) (s.size() / (double) kept)));
    }

    /** Registers {@code dropblock}. */
    public static final class Provider extends RegularizerProvider {
        /** Called by the service loader. */
        public Provider() {
            super("dropblock", Kind.NETWORK, "DropBlock on the residual branches of the deeper half of the units",
                    List.of(ParamSpec.of("keep", 0.9, "keep probability, in (0, 1]"),
                            ParamSpec.of("block", 7, "block side in pixels (>= 1; capped at the map's side)"),
                            ParamSpec.of("schedule", "linear", "keep probability over training: linear (from 1"
                                    + " down to keep, per epoch) or constant")),
                    p -> {
                        double k = p.above("keep", 0);
                        if (k > 1) {
                            throw p.invalid("keep", "a probability in (0, 1]");
                        }
                        String schedule = p.string("schedule");
                        if (!schedule.equals("linear") && !schedule.equals("constant")) {
                            throw p.invalid("schedule", "linear or constant");
                        }
                        return new DropBlock(k, p.integer("block", 1), schedule.equals("linear"));
                    });
        }
    }
}
