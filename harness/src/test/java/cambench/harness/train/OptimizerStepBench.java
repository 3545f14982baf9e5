package cambench.harness.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import cambench.harness.engine.EngineSetup;
import cambench.harness.model.ModelSpec;
import cambench.harness.model.Models;
import cambench.harness.model.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Optimizer step time, flat {@link Sgd} against the per-parameter step it replaced, in one process:
 * twin networks with gradients from one backward pass, blocks of steps of each alternating, so that
 * load changes hit both alike. Prints the median block time per step of each and their ratio.
 *
 * <pre>java -cp harness/target/test-classes:harness/target/classes:$(cat app/target/classpath.txt):... \
 *     cambench.harness.train.OptimizerStepBench resnet20 [rounds] [stepsPerBlock]</pre>
 */
public final class OptimizerStepBench {
    private OptimizerStepBench() {
    }

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "resnet20";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int block = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        EngineSetup.start(2);
        try (NDManager m = NDManager.newBaseManager();
                Network a = Models.create(model, new ModelSpec(3, 32, 100, 0), 1, m);
                Network b = Models.create(model, new ModelSpec(3, 32, 100, 0), 1, m)) {
            Sgd flat = new Sgd(a.store().parameters(), a.store().manager(), 0.9, false, 5e-4);
            PerParameterSgd each = new PerParameterSgd(b.store().parameters(), b.store().manager(), 0.9, false, 5e-4);
            backward(a, m);
            backward(b, m);
            List<Double> tf = new ArrayList<>();
            List<Double> te = new ArrayList<>();
            for (int r = 0; r < rounds + 1; r++) {
                double f = time(() -> stepBlock(a, List.of(), block, (s) -> flat.step(0.1, s)), block);
                double e = time(() -> stepBlock(b, each.buffers(), block, (s) -> each.step(0.1, s)), block);
                if (r > 0) { // the first round warms both up
                    tf.add(f);
                    te.add(e);
                }
            }
            double mf = median(tf);
            double me = median(te);
            System.out.printf(Locale.ROOT, "%s, %d parameters arrays: per-parameter step %.3f ms, flat step %.3f ms,"
                    + " per-parameter / flat %.2fx (median of %d blocks of %d steps each; flat %s, per-parameter %s)%n",
                    model, a.store().parameters().size(), me, mf, me / mf, rounds, block, fmt(tf), fmt(te));
        }
    }

    private static void backward(Network n, NDManager m) {
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = s.randomNormal(new Shape(8, 3, 32, 32));
            NDArray loss = n.forward(x, true).logits().square().mean();
            gc.backward(loss);
        }
    }

    private static void stepBlock(Network n, List<NDArray> keep, int steps, java.util.function.Consumer<NDManager> step) {
        for (int i = 0; i < steps; i++) {
            try (NDManager s = n.store().manager().newSubManager()) {
                step.accept(s);
            }
            n.store().sweep(keep);
        }
    }

    private static double time(Runnable r, int steps) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6 / steps;
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String fmt(List<Double> v) {
        return Arrays.toString(v.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toArray());
    }
}
