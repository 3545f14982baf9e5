package cambench.harness.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Test-time fine-tuning of a new head per episode (CloserLook's Baseline / Baseline++), all
 * episodes at once as batched float64 tensors over episodes.
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
 * {@code |W0_k|^2}; queries need {@code S Q^T} and {@code W0 Q^T}. Each step costs
 * O(way n^2) instead of O(way n D) per episode. Tensors: [E, way, n] coefficients, [E, n, n]
 * Grams; bias (linear head) and g (cosine head) stay explicit [E, way]. The results equal a
 * direct per-episode implementation up to float64 rounding (FewShotSolverTest).
 */
public final class BatchedFineTuner {
    private final FineTuneHead head;
    private final FineTuneRecipe recipe;
    private final EpisodeStart start;
    private final int chunk;

    /**
     * Creates a solver.
     *
     * @param head the head trained per episode
     * @param recipe the fine-tuning recipe
     * @param seed the seed of initial heads and support orders (see {@link EpisodeStart})
     * @param chunk at most this many episodes are solved together (bounds memory)
     */
    public BatchedFineTuner(FineTuneHead head, FineTuneRecipe recipe, long seed, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        this.head = head;
        this.recipe = recipe;
        this.start = new EpisodeStart(seed);
        this.chunk = chunk;
    }

    /** A solver of the CloserLook recipe over chunks of 1000 episodes. */
    public BatchedFineTuner(FineTuneHead head, long seed) {
        this(head, FineTuneRecipe.CLOSER_LOOK, seed, 1000);
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
        int e = eps.length;
        int way = eps[0].way();
        int shot = eps[0].shot();
        int qpc = eps[0].queriesPerClass();
        int n = way * shot;
        int nq = way * qpc;
        int dim = cache.dim();
        boolean cosine = head == FineTuneHead.COSINE;
        double scale = FineTuneHead.cosineScale(way);

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
        NDArray gram;
        NDArray p0;
        NDArray kq;
        NDArray p0q;
        NDArray n0;
        try (NDManager pre = m.newSubManager()) {
            NDArray s = pre.create(sup, new Shape(e, n, dim)).toType(DataType.FLOAT64, false);
            NDArray q = pre.create(qry, new Shape(e, nq, dim)).toType(DataType.FLOAT64, false);
            if (cosine) {
                s = s.div(s.mul(s).sum(new int[] {2}, true).sqrt().add(FineTuneHead.FEATURE_EPS));
                q = q.div(q.mul(q).sum(new int[] {2}, true).sqrt().add(FineTuneHead.FEATURE_EPS));
            }
            NDArray w = pre.create(w0, new Shape(e, way, dim));
            NDArray st = s.transpose(0, 2, 1);
            NDArray qt = q.transpose(0, 2, 1);
            gram = s.matMul(st);
            p0 = w.matMul(st);
            kq = s.matMul(qt);
            p0q = w.matMul(qt);
            n0 = w.mul(w).sum(new int[] {2});
            for (NDArray keep : new NDArray[] {gram, p0, kq, p0q, n0}) {
                keep.attach(m);
            }
        }
        // state: W_k = a_k W0_k + A_k S; b is the bias (linear) or g (cosine)
        NDArray a = m.ones(new Shape(e, way), DataType.FLOAT64);
        NDArray coef = m.zeros(new Shape(e, way, n), DataType.FLOAT64);
        NDArray b = cosine ? n0.sqrt() : m.create(bias0, new Shape(e, way));
        NDArray bufA = m.zeros(new Shape(e, way), DataType.FLOAT64);
        NDArray bufCoef = m.zeros(new Shape(e, way, n), DataType.FLOAT64);
        NDArray bufB = m.zeros(new Shape(e, way), DataType.FLOAT64);
        double[] onehot = new double[way * n];
        for (int j = 0; j < n; j++) {
            onehot[(j / shot) * n + j] = 1;
        }
        NDArray yFull = m.create(onehot, new Shape(way, n));

        int[][][] orders = new int[e][][];
        for (int i = 0; i < e; i++) {
            orders[i] = start.supportOrders(eps[i].index(), recipe.epochs(), n);
        }
        double lr = recipe.lr();
        double wd = recipe.weightDecay();
        boolean first = true;
        for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
            for (int from = 0; from < n; from += recipe.batchSize()) {
                int size = Math.min(recipe.batchSize(), n - from);
                double[] sel = new double[e * n * size];
                for (int i = 0; i < e; i++) {
                    for (int k = 0; k < size; k++) {
                        sel[(i * n + orders[i][epoch][from + k]) * size + k] = 1;
                    }
                }
                try (NDScope scope = new NDScope()) { // closes this step's temporaries; state is updated in place
                    NDArray selection = m.create(sel, new Shape(e, n, size));
                    NDArray ak = coef.matMul(gram);
                    NDArray u = a.expandDims(2).mul(p0).add(ak);
                    NDArray uSel = u.matMul(selection);
                    NDArray ySel = yFull.matMul(selection);
                    NDArray dA;
                    NDArray da;
                    NDArray db;
                    if (cosine) {
                        NDArray nv = norms(a, coef, ak, p0, n0);
                        NDArray c = uSel.div(nv.expandDims(2));
                        NDArray logits = c.mul(b.expandDims(2)).mul(scale);
                        NDArray gs = logits.softmax(1).sub(ySel).div(size);
                        NDArray gc = gs.matMul(selection.transpose(0, 2, 1));
                        NDArray r = gs.mul(c).sum(new int[] {2});
                        NDArray k = b.mul(scale).div(nv);
                        NDArray rOverNv = r.div(nv);
                        dA = k.expandDims(2).mul(gc.sub(rOverNv.expandDims(2).mul(coef)));
                        da = k.mul(rOverNv).mul(a).neg();
                        db = r.mul(scale);
                    } else {
                        NDArray logits = uSel.add(b.expandDims(2));
                        NDArray gs = logits.softmax(1).sub(ySel).div(size);
                        dA = gs.matMul(selection.transpose(0, 2, 1));
                        da = a.zerosLike();
                        db = gs.sum(new int[] {2});
                    }
                    dA = dA.add(coef.mul(wd));
                    da = da.add(a.mul(wd));
                    db = db.add(b.mul(wd));
                    if (first) {
                        bufCoef.addi(dA);
                        bufA.addi(da);
                        bufB.addi(db);
                    } else {
                        double keep = 1 - recipe.dampening();
                        bufCoef.muli(recipe.momentum()).addi(dA.mul(keep));
                        bufA.muli(recipe.momentum()).addi(da.mul(keep));
                        bufB.muli(recipe.momentum()).addi(db.mul(keep));
                    }
                    coef.subi(bufCoef.mul(lr));
                    a.subi(bufA.mul(lr));
                    b.subi(bufB.mul(lr));
                }
                first = false;
            }
        }
        try (NDManager post = m.newSubManager()) {
            NDArray u = a.expandDims(2).mul(p0q).add(coef.matMul(kq));
            NDArray logits;
            if (cosine) {
                NDArray nv = norms(a, coef, coef.matMul(gram), p0, n0);
                logits = u.div(nv.expandDims(2)).mul(b.expandDims(2)).mul(scale);
            } else {
                logits = u.add(b.expandDims(2));
            }
            long[] pred = logits.argMax(1).toType(DataType.INT64, false).toLongArray();
            double[] acc = new double[e];
            for (int i = 0; i < e; i++) {
                int correct = 0;
                for (int j = 0; j < nq; j++) {
                    correct += pred[i * nq + j] == j / qpc ? 1 : 0;
                }
                acc[i] = 100.0 * correct / nq;
            }
            return acc;
        }
    }

    /** |W_k| [E, way] from the span coefficients: a^2 |W0|^2 + 2 a A.(W0 S^T) + A K A^T. */
    private static NDArray norms(NDArray a, NDArray coef, NDArray ak, NDArray p0, NDArray n0) {
        NDArray cross = coef.mul(p0).sum(new int[] {2});
        NDArray quad = ak.mul(coef).sum(new int[] {2});
        return a.mul(a.mul(n0).add(cross.mul(2))).add(quad).sqrt();
    }
}
