package cambench.harness.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import cambench.api.UserException;
import cambench.harness.engine.OneDnnCaches;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks, before a network trains on the CPU, that the engine's convolution kernels compute its
 * convolutions: where the cache sizes oneDNN reads from CPUID are hidden, implausible or unknown
 * ({@link OneDnnCaches}), every distinct convolution configuration of the network (channels, groups,
 * kernel, stride, padding) is run forward and backward at each batch size it will see, on a small
 * image, and its output, input gradient and weight gradient are compared with a direct evaluation
 * in Java.
 *
 * <p>Why: on an x86 virtual machine whose CPUID hid the cache topology, oneDNN's AVX, AVX2 and
 * AVX-512 convolution kernels inside libtorch returned wrong values, often NaN, for small batches
 * with channel counts that are not a multiple of the vector width (16 to 4, 12 to 12), while its
 * SSE4.1 kernels and PyTorch's own kernels were right; forcing oneDNN's L1 size to 64 bytes or less
 * reproduces that on a machine that shows its caches. Training there would run on wrong gradients
 * without any error. Starting the process with {@code ONEDNN_MAX_CPU_ISA=SSE41} in the environment
 * selects the SSE4.1 kernels, which on such a machine were measured far slower. Where the caches
 * are plausible nothing is probed.
 *
 * <p>Cost: every value of the engine's results is checked to be finite, and {@link #SAMPLES} values
 * per result, drawn afresh in each of {@link #ROUNDS} rounds (the wrong values came and went between
 * calls), are compared with the Java evaluation, so a probe costs milliseconds whatever the
 * channel count. A configuration and batch size that passed is not probed again in the process.
 */
public final class KernelCheck {
    /** Rounds per configuration and batch size: the wrong results come and go between calls in one process. */
    static final int ROUNDS = 5;
    /** Values of each result (output, input gradient, weight gradient) compared with Java per round. */
    static final int SAMPLES = 64;
    private static final Set<Probe> PASSED = ConcurrentHashMap.newKeySet();

    private KernelCheck() {
    }

    /** A convolution as the engine computes it (the real one, or a test's wrong one). */
    @FunctionalInterface
    interface Convolution {
        NDArray apply(NDArray x, NDArray weight, ConvShape shape);
    }

    /** The engine's convolution. */
    static final Convolution ENGINE = (x, w, s) -> x.getNDArrayInternal().convolution(x, w, null,
            new Shape(s.stride(), s.stride()), new Shape(s.padding(), s.padding()), new Shape(1, 1), s.groups())
            .singletonOrThrow();

    /**
     * One configuration at one batch size, on a {@code side x side} input.
     *
     * @param shape the convolution
     * @param batch images per call
     */
    public record Probe(ConvShape shape, int batch) {
        /** The input side probed: small, and at least twice the kernel. */
        public int side() {
            return Math.max(8, 2 * shape.kernel());
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s at batch %d (%dx%d input)", shape, batch, side(), side());
        }
    }

    /**
     * What the check found.
     *
     * @param condition the cache condition (or why no check applies, e.g. a GPU device)
     * @param probed the configurations and batch sizes probed in this call (empty when none was needed)
     * @param failure the first wrong result, e.g. {@code input gradient: 120 of 2048 values non-finite, 3 of 64
     *     sampled values wrong of conv 16->4 3x3 stride 1 pad 1 at batch 64 (8x8 input)}; "" when none
     */
    public record Verdict(String condition, List<Probe> probed, String failure) {
        /** Copies the probes. */
        public Verdict {
            probed = List.copyOf(probed);
        }

        /** Whether every probed convolution came out right (also when nothing needed probing). */
        public boolean passed() {
            return failure.isEmpty();
        }

        /** One line: the condition, what was probed, and the outcome. */
        public String summary() {
            String what = probed.isEmpty() ? "nothing probed"
                    : "probed " + distinctShapes(probed) + " convolution configuration(s) at batch "
                            + String.join("/", batches(probed)) + " (forward, input and weight gradients, "
                            + ROUNDS + " rounds)";
            return (passed() ? "passed" : "FAILED") + ": " + condition + "; " + what
                    + (passed() ? "" : "; wrong: " + failure);
        }

        /** The one-line refusal of a model that failed: what was wrong, where, and the setting that avoids it. */
        public String refusal(String model) {
            return "model " + model + ": the engine's convolution kernels give wrong results on this machine ("
                    + failure + "), where " + condition + "; start cambench with ONEDNN_MAX_CPU_ISA=SSE41 in the"
                    + " environment (correct, much slower)";
        }

        private static long distinctShapes(List<Probe> probes) {
            return probes.stream().map(Probe::shape).distinct().count();
        }

        private static List<String> batches(List<Probe> probes) {
            return new TreeSet<>(probes.stream().map(Probe::batch).toList()).stream().map(String::valueOf).toList();
        }
    }

    /**
     * Checks {@code network} before it trains at {@code batchSizes} on this machine; a no-op when
     * the caches oneDNN reads are plausible or the device is not the CPU.
     *
     * @param parent a manager on the network's device (a sub-manager is opened and closed)
     * @throws UserException naming the model, the cache condition, the wrong result and the setting that avoids it
     */
    public static void verify(NDManager parent, Network network, Collection<Integer> batchSizes) {
        Verdict v = check(parent, network.store().convolutions(), batchSizes, OneDnnCaches.ofThisMachine(), false);
        if (!v.passed()) {
            throw new UserException(v.refusal(network.name()));
        }
    }

    /**
     * The verdict for convolutions at batch sizes: probes them when {@code caches} needs it or
     * {@code always}, on the CPU only.
     *
     * @param shapes the configurations (duplicates are probed once)
     * @param batchSizes the batch sizes each is probed at
     * @param caches the cache condition (tests pass their own)
     * @param always probe even where the caches are plausible ({@code cambench check --probe-kernels})
     */
    public static Verdict check(NDManager parent, Collection<ConvShape> shapes, Collection<Integer> batchSizes,
            OneDnnCaches caches, boolean always) {
        return check(parent, shapes, batchSizes, caches, always, ENGINE);
    }

    static Verdict check(NDManager parent, Collection<ConvShape> shapes, Collection<Integer> batchSizes,
            OneDnnCaches caches, boolean always, Convolution convolution) {
        if (!parent.getDevice().getDeviceType().equals(ai.djl.Device.Type.CPU)) {
            return new Verdict("device " + parent.getDevice() + " (oneDNN's CPU kernels are not used)", List.of(), "");
        }
        if (!always && !caches.needsProbe()) {
            return new Verdict(caches.description(), List.of(), "");
        }
        List<Probe> probes = new ArrayList<>();
        for (ConvShape s : new LinkedHashSet<>(shapes)) {
            for (int b : new TreeSet<>(batchSizes)) {
                probes.add(new Probe(s, b));
            }
        }
        for (Probe p : probes) {
            if (convolution == ENGINE && PASSED.contains(p)) {
                continue;
            }
            for (int round = 0; round < ROUNDS; round++) {
                String wrong = mismatch(parent, p, round, convolution);
                if (wrong != null) {
                    return new Verdict(caches.description(), probes, wrong + " of " + p);
                }
            }
            if (convolution == ENGINE) {
                PASSED.add(p);
            }
        }
        return new Verdict(caches.description(), probes, "");
    }

    /**
     * Runs one probe round: the engine's output and gradients of {@code sum(y * g)} for random x, w
     * and g, every value checked finite and {@link #SAMPLES} of each compared with Java.
     *
     * @return what differs, e.g. {@code "input gradient: 3 of 64 sampled values wrong"}, or null
     */
    static String mismatch(NDManager parent, Probe p, int round, Convolution convolution) {
        ConvShape c = p.shape();
        int side = p.side();
        int outSide = c.outputSide(side);
        SplittableRandom random = new SplittableRandom(java.util.Objects.hash(c.in(), c.out(), c.groups(), c.kernel(),
                c.stride(), c.padding(), p.batch()) * 31L + round);
        Shape xs = new Shape(p.batch(), c.in(), side, side);
        Shape ws = new Shape(c.out(), c.inPerGroup(), c.kernel(), c.kernel());
        Shape ys = new Shape(p.batch(), c.out(), outSide, outSide);
        Conv conv = new Conv(c, p.batch(), side, outSide, Init.normal(1).values(xs, random),
                Init.normal(1).values(ws, random), Init.normal(1).values(ys, random));
        float[] y;
        float[] gx;
        float[] gw;
        try (NDManager m = parent.newSubManager();
                GradientCollector collector = m.getEngine().newGradientCollector()) {
            NDArray xa = m.create(conv.x, xs);
            NDArray wa = m.create(conv.w, ws);
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            NDArray ya = convolution.apply(xa, wa, c);
            y = ya.toFloatArray();
            collector.backward(ya.mul(m.create(conv.g, ys)).sum());
            gx = xa.getGradient().toFloatArray();
            gw = wa.getGradient().toFloatArray();
        }
        String wrong = differ("output", y, conv::output, random);
        wrong = wrong != null ? wrong : differ("input gradient", gx, conv::inputGradient, random);
        return wrong != null ? wrong : differ("weight gradient", gw, conv::weightGradient, random);
    }

    /** A reference value at a flat index, with the sum of the absolute values of its terms. */
    private interface Reference {
        double[] at(int index);
    }

    /**
     * Counts non-finite values of {@code actual} and compares {@link #SAMPLES} random ones with the
     * reference within {@code 1e-3 (1 + |expected|) + 1e-5 sum|terms|} (float32 accumulation).
     */
    private static String differ(String what, float[] actual, Reference reference, SplittableRandom random) {
        int nonFinite = 0;
        for (float v : actual) {
            if (!Float.isFinite(v)) {
                nonFinite++;
            }
        }
        int bad = 0;
        for (int s = 0; s < SAMPLES; s++) {
            int i = random.nextInt(actual.length);
            double[] e = reference.at(i);
            if (!(Math.abs(actual[i] - e[0]) <= 1e-3 * (1 + Math.abs(e[0])) + 1e-5 * e[1])) {
                bad++;
            }
        }
        if (nonFinite == 0 && bad == 0) {
            return null;
        }
        return what + ": " + nonFinite + " of " + actual.length + " values non-finite, " + bad + " of " + SAMPLES
                + " sampled values wrong";
    }

    /** One probe's tensors and the direct evaluation of the convolution and its gradients at single indices. */
    private record Conv(ConvShape c, int batch, int side, int outSide, float[] x, float[] w, float[] g) {
        /** y[b, o, i, j] = sum over the group's channels and the kernel of x * w. */
        double[] output(int index) {
            int j = index % outSide;
            int i = index / outSide % outSide;
            int o = index / (outSide * outSide) % c.out();
            int b = index / (outSide * outSide * c.out());
            int group = o / c.outPerGroup();
            double sum = 0;
            double abs = 0;
            for (int cc = 0; cc < c.inPerGroup(); cc++) {
                for (int ki = 0; ki < c.kernel(); ki++) {
                    for (int kj = 0; kj < c.kernel(); kj++) {
                        int ii = i * c.stride() - c.padding() + ki;
                        int jj = j * c.stride() - c.padding() + kj;
                        if (ii < 0 || jj < 0 || ii >= side || jj >= side) {
                            continue;
                        }
                        double t = (double) x[xIndex(b, group * c.inPerGroup() + cc, ii, jj)] * w[wIndex(o, cc, ki, kj)];
                        sum += t;
                        abs += Math.abs(t);
                    }
                }
            }
            return new double[] {sum, abs};
        }

        /** dL/dx[b, ch, ii, jj] = sum over the group's outputs and the kernel positions that reach it of g * w. */
        double[] inputGradient(int index) {
            int jj = index % side;
            int ii = index / side % side;
            int ch = index / (side * side) % c.in();
            int b = index / (side * side * c.in());
            int group = ch / c.inPerGroup();
            double sum = 0;
            double abs = 0;
            for (int o = group * c.outPerGroup(); o < (group + 1) * c.outPerGroup(); o++) {
                for (int ki = 0; ki < c.kernel(); ki++) {
                    for (int kj = 0; kj < c.kernel(); kj++) {
                        int si = ii + c.padding() - ki;
                        int sj = jj + c.padding() - kj;
                        if (si < 0 || sj < 0 || si % c.stride() != 0 || sj % c.stride() != 0) {
                            continue;
                        }
                        int i = si / c.stride();
                        int j = sj / c.stride();
                        if (i >= outSide || j >= outSide) {
                            continue;
                        }
                        double t = (double) g[yIndex(b, o, i, j)] * w[wIndex(o, ch % c.inPerGroup(), ki, kj)];
                        sum += t;
                        abs += Math.abs(t);
                    }
                }
            }
            return new double[] {sum, abs};
        }

        /** dL/dw[o, cc, ki, kj] = sum over images and output positions of g * x. */
        double[] weightGradient(int index) {
            int kj = index % c.kernel();
            int ki = index / c.kernel() % c.kernel();
            int cc = index / (c.kernel() * c.kernel()) % c.inPerGroup();
            int o = index / (c.kernel() * c.kernel() * c.inPerGroup());
            int ch = o / c.outPerGroup() * c.inPerGroup() + cc;
            double sum = 0;
            double abs = 0;
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < outSide; i++) {
                    for (int j = 0; j < outSide; j++) {
                        int ii = i * c.stride() - c.padding() + ki;
                        int jj = j * c.stride() - c.padding() + kj;
                        if (ii < 0 || jj < 0 || ii >= side || jj >= side) {
                            continue;
                        }
                        double t = (double) g[yIndex(b, o, i, j)] * x[xIndex(b, ch, ii, jj)];
                        sum += t;
                        abs += Math.abs(t);
                    }
                }
            }
            return new double[] {sum, abs};
        }

        private int xIndex(int b, int ch, int i, int j) {
            return ((b * c.in() + ch) * side + i) * side + j;
        }

        private int yIndex(int b, int o, int i, int j) {
            return ((b * c.out() + o) * outSide + i) * outSide + j;
        }

        private int wIndex(int o, int cc, int ki, int kj) {
            return ((o * c.inPerGroup() + cc) * c.kernel() + ki) * c.kernel() + kj;
        }
    }
}
