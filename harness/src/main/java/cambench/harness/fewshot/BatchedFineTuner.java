package cambench.harness.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Test-time fine-tuning of a new head per episode (CloserLook's Baseline / Baseline++), all
 * episodes at once: batched float64 tensors over episodes, every optimiser step updating every
 * episode's head in lockstep.
 *
 * <p>Every episode trains its own head from {@link EpisodeStart} with {@link FineTuneRecipe}
 * (100 epochs, minibatches of 4 in the episode's own order, SGD with momentum, dampening and
 * weight decay), then predicts its queries; the result is each episode's query accuracy (%).
 *
 * <p>The solver runs in the span of the support features, an exact reparametrisation: every
 * gradient of the head's weight is a combination of the (normalised, for the cosine head) support
 * features S [n, D], and weight decay and momentum act linearly, so the weight (and its momentum
 * buffer) stays {@code W_k = a_k W0_k + A_k S} with a per-class scalar a [way] and coefficients A
 * [way, n]. Logits then need only the Gram matrix {@code K = S S^T} [n, n], {@code W0 S^T} and
 * {@code |W0_k|^2}; queries need {@code S Q^T} and {@code W0 Q^T}. These are computed once as
 * batched matrix products on the engine ([E, n, D] x [E, D, n + nq]); the 100 x ceil(n / 4) steps
 * then cost O(way n^2) per episode instead of O(way n D), and run on flat Java arrays
 * [E, way, n] (coefficients, momentum) and [E, way] (a; the bias of the linear head, g of the
 * cosine head), all episodes per step, split into {@code threads} contiguous episode ranges
 * (no per-step kernel launches: at these sizes, launches cost more than the arithmetic). Results
 * do not depend on the thread count or chunking, and equal a direct per-episode implementation
 * up to float64 rounding (FewShotSolverTest).
 */
public final class BatchedFineTuner {
    private final FineTuneHead head;
    private final FineTuneRecipe recipe;
    private final EpisodeStart start;
    private final int chunk;
    private final int threads;
    private final java.util.function.IntToDoubleFunction cosineScale;

    /**
     * Creates a solver.
     *
     * @param head the head trained per episode
     * @param recipe the fine-tuning recipe
     * @param seed the seed of initial heads and support orders (see {@link EpisodeStart})
     * @param chunk at most this many episodes are solved together (bounds memory)
     * @param threads Java threads sharing the episodes of a chunk
     */
    public BatchedFineTuner(FineTuneHead head, FineTuneRecipe recipe, long seed, int chunk, int threads) {
        this(head, recipe, seed, chunk, threads, FineTuneHead::cosineScale);
    }

    /**
     * A solver whose cosine head's scale for a {@code way}-way episode is {@code cosineScale(way)}
     * (the other constructors: {@link FineTuneHead#cosineScale}).
     */
    public BatchedFineTuner(FineTuneHead head, FineTuneRecipe recipe, long seed, int chunk, int threads,
            java.util.function.IntToDoubleFunction cosineScale) {
        this.cosineScale = cosineScale;
        if (chunk < 1 || threads < 1) {
            throw new IllegalArgumentException("chunk and threads must be >= 1, got " + chunk + ", " + threads);
        }
        this.threads = threads;
        this.head = head;
        this.recipe = recipe;
        this.start = new EpisodeStart(seed);
        this.chunk = chunk;
    }

    /** A solver of the CloserLook recipe over chunks of 1000 episodes. */
    public BatchedFineTuner(FineTuneHead head, long seed, int threads) {
        this(head, FineTuneRecipe.CLOSER_LOOK, seed, 1000, threads);
    }

    /**
     * Fine-tunes one head per episode and returns the query accuracies (%), in episode order.
     *
     * @param features the split's features (episode indices refer to its rows)
     * @param episodes episodes of one way / shot / query
     * @param manager where the tensors live (its device is used)
     */
    public double[] solve(FeatureCache features, Episode[] episodes, NDManager manager) {
        double[] acc = new double[episodes.length];
        for (int from = 0; from < episodes.length; from += chunk) {
            int to = Math.min(episodes.length, from + chunk);
            Episode[] part = java.util.Arrays.copyOfRange(episodes, from, to);
            try (NDManager m = manager.newSubManager()) {
                double[] a = solveChunk(features, part, m);
                System.arraycopy(a, 0, acc, from, a.length);
            }
        }
        return acc;
    }

    private double[] solveChunk(FeatureCache cache, Episode[] eps, NDManager m) {
        Inputs in = gather(cache, eps);
        Products products = products(in, cache.dim(), m);
        int[][][] orders = new int[eps.length][][];
        for (int i = 0; i < eps.length; i++) {
            orders[i] = start.supportOrders(eps[i].index(), recipe.epochs(), in.way * in.shot);
        }
        return train(in, products, orders);
    }

    /**
     * The support and query features of a chunk, flat [E, n, D] and [E, nq, D], and the initial
     * heads, W0 flat [E, way, D] and b0 [E, way].
     */
    private record Inputs(int episodes, int way, int shot, int qpc, float[] support, float[] query, double[] w0,
            double[] bias0) {
    }

    private Inputs gather(FeatureCache cache, Episode[] eps) {
        int e = eps.length;
        int way = eps[0].way();
        int shot = eps[0].shot();
        int qpc = eps[0].queriesPerClass();
        int n = way * shot;
        int nq = way * qpc;
        int dim = cache.dim();
        float[] sup = new float[e * n * dim];
        float[] qry = new float[e * nq * dim];
        double[] w0 = new double[e * way * dim];
        double[] bias0 = new double[e * way];
        for (int i = 0; i < e; i++) {
            if (eps[i].way() != way || eps[i].shot() != shot || eps[i].queriesPerClass() != qpc) {
                throw new IllegalArgumentException("episodes of one solve must share way, shot and query");
            }
            cache.gather(eps[i].support(), sup, i * n * dim);
            cache.gather(eps[i].query(), qry, i * nq * dim);
            double[][] init = start.initialHead(eps[i].index(), way, dim);
            System.arraycopy(init[0], 0, w0, i * way * dim, way * dim);
            System.arraycopy(init[1], 0, bias0, i * way, way);
        }
        return new Inputs(e, way, shot, qpc, sup, qry, w0, bias0);
    }

    /**
     * The inner products the span solver needs, flat in float64: gram {@code S S^T} [E, n, n],
     * p0 {@code W0 S^T} [E, way, n], kq {@code S Q^T} [E, n, nq], p0q {@code W0 Q^T} [E, way, nq],
     * n0 {@code |W0_k|^2} [E, way]. S and Q are L2-normalised rows for the cosine head.
     */
    private record Products(double[] gram, double[] p0, double[] kq, double[] p0q, double[] n0) {
    }

    private Products products(Inputs in, int dim, NDManager m) {
        int n = in.way * in.shot;
        int nq = in.way * in.qpc;
        try (NDManager pre = m.newSubManager()) {
            NDArray s = pre.create(in.support, new Shape(in.episodes, n, dim)).toType(DataType.FLOAT64, false);
            NDArray q = pre.create(in.query, new Shape(in.episodes, nq, dim)).toType(DataType.FLOAT64, false);
            if (head == FineTuneHead.COSINE) {
                s = s.div(s.mul(s).sum(new int[] {2}, true).sqrt().add(FineTuneHead.FEATURE_EPS));
                q = q.div(q.mul(q).sum(new int[] {2}, true).sqrt().add(FineTuneHead.FEATURE_EPS));
            }
            NDArray w = pre.create(in.w0, new Shape(in.episodes, in.way, dim));
            NDArray st = s.transpose(0, 2, 1);
            NDArray qt = q.transpose(0, 2, 1);
            return new Products(s.matMul(st).toDoubleArray(), w.matMul(st).toDoubleArray(),
                    s.matMul(qt).toDoubleArray(), w.matMul(qt).toDoubleArray(),
                    w.mul(w).sum(new int[] {2}).toDoubleArray());
        }
    }

    /** Trains every episode's head on {@code threads} contiguous episode ranges; returns query accuracies (%). */
    private double[] train(Inputs in, Products products, int[][][] orders) {
        int e = in.episodes;
        double[] acc = new double[e];
        int slices = Math.min(threads, e);
        Thread[] workers = new Thread[slices];
        Throwable[] failure = new Throwable[1];
        for (int sl = 0; sl < slices; sl++) {
            int lo = (int) ((long) e * sl / slices);
            int hi = (int) ((long) e * (sl + 1) / slices);
            Slice slice = new Slice(lo, hi, in, products, orders);
            workers[sl] = new Thread(() -> slice.run(acc), "fewshot-solver-" + sl);
            workers[sl].setUncaughtExceptionHandler((t, ex) -> failure[0] = ex);
            workers[sl].start();
        }
        try {
            for (Thread w : workers) {
                w.join();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("few-shot solver interrupted", ex);
        }
        if (failure[0] != null) {
            throw new IllegalStateException("few-shot solver failed", failure[0]);
        }
        return acc;
    }

    /**
     * A contiguous range of episodes trained in lockstep: every optimiser step updates all of
     * them, on flat arrays [episodes, way, n] (coefficients) and [episodes, way] (a, bias or g).
     */
    private final class Slice {
        private final int lo;
        private final int count;
        private final int way;
        private final int shot;
        private final int qpc;
        private final int n;
        private final boolean cosine;
        private final double scale;
        private final double[] gram;
        private final double[] p0;
        private final double[] kq;
        private final double[] p0q;
        private final double[] n0;
        private final int[][][] orders;
        private final double[] a;
        private final double[] coef;
        private final double[] b;
        private final double[] bufA;
        private final double[] bufCoef;
        private final double[] bufB;

        Slice(int lo, int hi, Inputs in, Products products, int[][][] orders) {
            this.lo = lo;
            this.count = hi - lo;
            this.way = in.way;
            this.shot = in.shot;
            this.qpc = in.qpc;
            this.n = way * shot;
            this.cosine = head == FineTuneHead.COSINE;
            this.scale = cosineScale.applyAsDouble(way);
            this.gram = products.gram;
            this.p0 = products.p0;
            this.kq = products.kq;
            this.p0q = products.p0q;
            this.n0 = products.n0;
            this.orders = orders;
            this.a = new double[count * way];
            this.coef = new double[count * way * n];
            this.b = new double[count * way];
            this.bufA = new double[count * way];
            this.bufCoef = new double[count * way * n];
            this.bufB = new double[count * way];
            java.util.Arrays.fill(a, 1.0);
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < way; k++) {
                    int ek = (lo + i) * way + k;
                    b[i * way + k] = cosine ? Math.sqrt(n0[ek]) : in.bias0[ek];
                }
            }
        }

        // per-thread scratch
        private double[] u;
        private double[] nv;
        private double[] gs;
        private double[] gc;
        private double[] d;
        private double[] akRow;

        void run(double[] acc) {
            int bs = recipe.batchSize();
            u = new double[way * bs];
            nv = new double[way];
            gs = new double[way * bs];
            gc = new double[way * n];
            d = new double[n];
            akRow = new double[n];
            boolean first = true;
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                for (int from = 0; from < n; from += bs) {
                    int size = Math.min(bs, n - from);
                    for (int i = 0; i < count; i++) {
                        int[] order = orders[lo + i][epoch];
                        forward(i, order, from, size);
                        lossGradient(i, order, from, size);
                        update(i, order, from, size, first);
                    }
                    first = false;
                }
            }
            predict(acc);
        }

        /** u[k][t] = <W_k, x_{j_t}> = a_k (W0 S^T)[k][j] + (A K)[k][j]; nv[k] = |W_k| (cosine head). */
        private void forward(int i, int[] order, int from, int size) {
            int ep = lo + i;
            int gOff = ep * n * n;
            int bs = recipe.batchSize();
            for (int k = 0; k < way; k++) {
                int ck = (i * way + k) * n;
                int pk = (ep * way + k) * n;
                double ak = a[i * way + k];
                if (cosine) {
                    java.util.Arrays.fill(akRow, 0);
                    for (int l = 0; l < n; l++) {
                        double al = coef[ck + l];
                        int gl = gOff + l * n;
                        for (int j = 0; j < n; j++) {
                            akRow[j] += al * gram[gl + j];
                        }
                    }
                    double cross = 0;
                    double quad = 0;
                    for (int l = 0; l < n; l++) {
                        cross += coef[ck + l] * p0[pk + l];
                        quad += coef[ck + l] * akRow[l];
                    }
                    nv[k] = Math.sqrt(ak * (ak * n0[ep * way + k] + 2 * cross) + quad);
                    for (int t = 0; t < size; t++) {
                        int j = order[from + t];
                        u[k * bs + t] = ak * p0[pk + j] + akRow[j];
                    }
                } else {
                    for (int t = 0; t < size; t++) {
                        int j = order[from + t];
                        double s = ak * p0[pk + j];
                        int gj = gOff + j * n; // K is symmetric: column j = row j
                        for (int l = 0; l < n; l++) {
                            s += coef[ck + l] * gram[gj + l];
                        }
                        u[k * bs + t] = s;
                    }
                }
            }
        }

        /** gs[k][t]: softmax cross-entropy gradient wrt the logits, mean over the minibatch. */
        private void lossGradient(int i, int[] order, int from, int size) {
            int bs = recipe.batchSize();
            for (int t = 0; t < size; t++) {
                int label = order[from + t] / shot;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < way; k++) {
                    double z = cosine ? scale * b[i * way + k] * u[k * bs + t] / nv[k] : u[k * bs + t] + b[i * way + k];
                    gs[k * bs + t] = z;
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int k = 0; k < way; k++) {
                    double p = Math.exp(gs[k * bs + t] - max);
                    gs[k * bs + t] = p;
                    sum += p;
                }
                for (int k = 0; k < way; k++) {
                    gs[k * bs + t] = (gs[k * bs + t] / sum - (k == label ? 1 : 0)) / size;
                }
            }
        }

        /** Parameter gradients in span coordinates, weight decay, momentum, the SGD step. */
        private void update(int i, int[] order, int from, int size, boolean first) {
            int bs = recipe.batchSize();
            double lr = recipe.lr();
            double wd = recipe.weightDecay();
            double mom = recipe.momentum();
            double keep = 1 - recipe.dampening();
            java.util.Arrays.fill(gc, 0);
            for (int k = 0; k < way; k++) {
                for (int t = 0; t < size; t++) {
                    gc[k * n + order[from + t]] += gs[k * bs + t];
                }
            }
            for (int k = 0; k < way; k++) {
                int ik = i * way + k;
                int ck = ik * n;
                double da;
                double db;
                if (cosine) {
                    double r = 0;
                    for (int t = 0; t < size; t++) {
                        r += gs[k * bs + t] * u[k * bs + t] / nv[k];
                    }
                    double kk = scale * b[ik] / nv[k];
                    double shrink = r / nv[k];
                    for (int l = 0; l < n; l++) {
                        d[l] = kk * (gc[k * n + l] - shrink * coef[ck + l]) + wd * coef[ck + l];
                    }
                    da = -kk * shrink * a[ik] + wd * a[ik];
                    db = scale * r + wd * b[ik];
                } else {
                    double sumG = 0;
                    for (int t = 0; t < size; t++) {
                        sumG += gs[k * bs + t];
                    }
                    for (int l = 0; l < n; l++) {
                        d[l] = gc[k * n + l] + wd * coef[ck + l];
                    }
                    da = wd * a[ik];
                    db = sumG + wd * b[ik];
                }
                for (int l = 0; l < n; l++) {
                    double buf = first ? d[l] : mom * bufCoef[ck + l] + keep * d[l];
                    bufCoef[ck + l] = buf;
                    coef[ck + l] -= lr * buf;
                }
                bufA[ik] = first ? da : mom * bufA[ik] + keep * da;
                a[ik] -= lr * bufA[ik];
                bufB[ik] = first ? db : mom * bufB[ik] + keep * db;
                b[ik] -= lr * bufB[ik];
            }
        }

        private void predict(double[] acc) {
            int nq = way * qpc;
            double[] z = new double[way];
            for (int i = 0; i < count; i++) {
                int ep = lo + i;
                int cOff = i * way * n;
                int gOff = ep * n * n;
                if (cosine) {
                    for (int k = 0; k < way; k++) {
                        int ck = cOff + k * n;
                        double ak = a[i * way + k];
                        double cross = 0;
                        double quad = 0;
                        for (int l = 0; l < n; l++) {
                            cross += coef[ck + l] * p0[(ep * way + k) * n + l];
                            double row = 0;
                            for (int mm = 0; mm < n; mm++) {
                                row += gram[gOff + l * n + mm] * coef[ck + mm];
                            }
                            quad += coef[ck + l] * row;
                        }
                        z[k] = Math.sqrt(ak * (ak * n0[ep * way + k] + 2 * cross) + quad);
                    }
                }
                int correct = 0;
                int best = 0;
                for (int q = 0; q < nq; q++) {
                    double bestScore = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < way; k++) {
                        int ck = cOff + k * n;
                        double s = a[i * way + k] * p0q[(ep * way + k) * nq + q];
                        for (int l = 0; l < n; l++) {
                            s += coef[ck + l] * kq[(ep * n + l) * nq + q];
                        }
                        s = cosine ? scale * b[i * way + k] * s / z[k] : s + b[i * way + k];
                        if (k == 0 || s > bestScore) {
                            bestScore = s;
                            best = k;
                        }
                    }
                    correct += best == q / qpc ? 1 : 0;
                }
                acc[ep] = 100.0 * correct / nq;
            }
        }
    }
}
