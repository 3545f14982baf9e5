package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import cambench.api.UserException;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Checks once per process that the engine's convolution kernels compute a convolution: the
 * output, the input gradient and the weight gradient of small 3x3 convolutions on batch 2,
 * against a direct evaluation in Java.
 *
 * <p>Why: on some x86 machines (seen on a virtual machine whose CPUID reports no cache topology)
 * the AVX, AVX2 and AVX-512 convolution kernels of oneDNN inside libtorch return wrong values,
 * often NaN, for small batches with channel counts that are not a multiple of the vector width,
 * while its SSE4.1 kernels and PyTorch's own kernels are right. Training there would run on wrong
 * gradients without any error. Starting the process with {@code ONEDNN_MAX_CPU_ISA=SSE41} in the
 * environment selects the SSE4.1 kernels, which on such a machine were measured far slower.
 *
 * <p>Convolutions whose input and output channels per group are multiples of 16 (or whose input is
 * an image of at most 3 channels) were right in every probe, at every batch size tried, so a network
 * made only of those (the CIFAR ResNets, WRNs, Conv-4) is not probed and runs on the fast kernels
 * everywhere. A network with any other convolution (DenseNet-BC, PyramidNet, ShuffleNet,
 * MobileNetV2) trains only after the probe passes (the trainer calls {@link #verify(NDManager,
 * String, java.util.Map)} before the first step).
 */
public final class KernelCheck {
    /** The probed shapes {batch, in, out, size}: DenseNet-like 16 to 4 and an odd width 12 to 12. */
    private static final int[][] SHAPES = {{2, 16, 4, 16}, {2, 12, 12, 8}};
    /** The wrong results come and go between calls in one process, so each shape is probed several times. */
    private static final int ROUNDS = 5;
    private static volatile boolean passed;

    private KernelCheck() {
    }

    /**
     * Runs the check unless it has passed in this process.
     *
     * @param parent a manager on the device the networks will use (a sub-manager is opened and closed)
     * @throws UserException naming the wrong result and the environment setting that avoids it
     */
    public static void verify(NDManager parent) {
        verifyMachine(parent, "");
    }

    /**
     * Probes the kernels when {@code model} has a convolution outside the shapes known to be right
     * (see the class comment); a no-op otherwise.
     *
     * @param parameters the model's parameters by name; 4-d ones are convolution weights
     *     [out, in / groups, kh, kw]
     * @throws UserException naming the model, one of its convolutions and the setting that avoids it
     */
    public static void verify(NDManager parent, String model, java.util.Map<String, NDArray> parameters) {
        String unsafe = unsafeConvolution(parameters);
        if (unsafe != null) {
            verifyMachine(parent, "model " + model + " has convolutions such as " + unsafe
                    + " (channels not multiples of 16), and ");
        }
    }

    /** The first convolution weight (name and shape) outside the shapes known to be right, or null. */
    static String unsafeConvolution(java.util.Map<String, NDArray> parameters) {
        for (java.util.Map.Entry<String, NDArray> e : parameters.entrySet()) {
            Shape s = e.getValue().getShape();
            if (s.dimension() == 4 && !safe(s.get(0), s.get(1))) {
                return e.getKey() + " " + s;
            }
        }
        return null;
    }

    private static boolean safe(long out, long inPerGroup) {
        return out % 16 == 0 && (inPerGroup % 16 == 0 || inPerGroup <= 3);
    }

    /**
     * Whether the probed convolutions come out right on this machine (probed once, then cached);
     * for tests that would otherwise fail on a machine with the kernel bug.
     */
    public static boolean machineComputesEveryShape(NDManager parent) {
        try {
            verifyMachine(parent, "");
            return true;
        } catch (UserException e) {
            return false;
        }
    }

    private static void verifyMachine(NDManager parent, String context) {
        if (passed) {
            return;
        }
        synchronized (KernelCheck.class) {
            if (passed) {
                return;
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int[] s : SHAPES) {
                    checkShape(parent, context, s);
                }
            }
            passed = true;
        }
    }

    private static void checkShape(NDManager parent, String context, int[] s) {
        {
            {
                String wrong = mismatch(parent, s[0], s[1], s[2], s[3]);
                if (wrong != null) {
                    throw new UserException(context + "the engine's convolution kernels give wrong results for"
                            + " such convolutions on this machine (" + wrong + "); start cambench with"
                            + " ONEDNN_MAX_CPU_ISA=SSE41 in the environment (correct, much slower) or use a model"
                            + " whose channel counts are multiples of 16");
                }
            }
        }
    }

    /**
     * Compares one bias-free 3x3 convolution (stride 1, padding 1) and its gradients with a Java
     * evaluation; the loss is {@code sum(y * g)} for a fixed g.
     *
     * @return what differs, e.g. {@code "input gradient of conv 16->4 on [2,16,16,16]: 8189 of 8192 values"},
     *         or null when everything agrees within float rounding
     */
    static String mismatch(NDManager parent, int batch, int in, int out, int size) {
        SplittableRandom random = new SplittableRandom(batch * 1000L + in * 100L + out);
        Shape xs = new Shape(batch, in, size, size);
        Shape ws = new Shape(out, in, 3, 3);
        Shape ys = new Shape(batch, out, size, size);
        float[] x = Init.normal(1).values(xs, random);
        float[] w = Init.normal(1).values(ws, random);
        float[] g = Init.normal(1).values(ys, random);
        float[] y;
        float[] gx;
        float[] gw;
        try (NDManager m = parent.newSubManager();
                GradientCollector collector = m.getEngine().newGradientCollector()) {
            NDArray xa = m.create(x, xs);
            NDArray wa = m.create(w, ws);
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            NDArray ya = xa.getNDArrayInternal().convolution(xa, wa, null, new Shape(1, 1), new Shape(1, 1),
                    new Shape(1, 1), 1).singletonOrThrow();
            y = ya.toFloatArray();
            collector.backward(ya.mul(m.create(g, ys)).sum());
            gx = xa.getGradient().toFloatArray();
            gw = wa.getGradient().toFloatArray();
        }
        double[] ry = new double[y.length];
        double[] rgx = new double[x.length];
        double[] rgw = new double[w.length];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        int yi = ((b * out + o) * size + i) * size + j;
                        for (int c = 0; c < in; c++) {
                            for (int ki = 0; ki < 3; ki++) {
                                for (int kj = 0; kj < 3; kj++) {
                                    int ii = i + ki - 1;
                                    int jj = j + kj - 1;
                                    if (ii < 0 || jj < 0 || ii >= size || jj >= size) {
                                        continue;
                                    }
                                    int xi = ((b * in + c) * size + ii) * size + jj;
                                    int wi = ((o * in + c) * 3 + ki) * 3 + kj;
                                    ry[yi] += (double) x[xi] * w[wi];
                                    rgx[xi] += (double) g[yi] * w[wi];
                                    rgw[wi] += (double) g[yi] * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        String where = String.format(Locale.ROOT, "conv %d->%d on [%d,%d,%d,%d]", in, out, batch, in, size, size);
        String wrong = differ("output", y, ry);
        wrong = wrong != null ? wrong : differ("input gradient", gx, rgx);
        wrong = wrong != null ? wrong : differ("weight gradient", gw, rgw);
        return wrong == null ? null : wrong + " of " + where;
    }

    /** Counts values off by more than 1e-3 (1 + |expected|), NaN included; null when none. */
    private static String differ(String what, float[] actual, double[] expected) {
        int bad = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= 1e-3 * (1 + Math.abs(expected[i])))) {
                bad++;
            }
        }
        return bad == 0 ? null : what + ": " + bad + " of " + actual.length + " values wrong";
    }
}
