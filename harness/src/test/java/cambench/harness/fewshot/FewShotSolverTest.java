package cambench.harness.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import cambench.harness.engine.EngineSetup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The batched solver against a direct per-episode implementation (plain Java, float64, the
 * head's own parameters, no span trick) on the same episodes, initial heads and orders.
 */
@Tag("engine")
class FewShotSolverTest {
    private static final int DIM = 24;

    @BeforeAll
    static void startEngine() {
        EngineSetup.start(2);
    }

    @Test
    void solve_linearAndCosine_1and5shot_matchPerEpisodeReference() {
        FeatureCache cache = FeatureCache.syntheticClusters(10, 30, DIM, 1.2, 21); // accuracies between chance and 100%
        try (NDManager m = NDManager.newBaseManager()) {
            for (FineTuneHead head : FineTuneHead.values()) {
                for (int shot : new int[] {1, 5}) {
                    EpisodeSampler s = new EpisodeSampler(cache.indicesByClass(), cache.classes(), 5, shot, 6, 4);
                    Episode[] eps = s.episodes(10);
                    double[] batched = new BatchedFineTuner(head, FineTuneRecipe.CLOSER_LOOK, 77, 4, 2).solve(cache, eps, m);
                    double[] reference = new double[eps.length];
                    for (int e = 0; e < eps.length; e++) {
                        reference[e] = reference(head, FineTuneRecipe.CLOSER_LOOK, new EpisodeStart(77), cache, eps[e]);
                    }
                    assertArrayEquals(reference, batched, 1e-9, head + " " + shot + "-shot");
                    double mean = java.util.Arrays.stream(batched).average().orElseThrow();
                    assertTrue(mean > 25 && mean < 100, head + " " + shot + "-shot mean " + mean + " is degenerate");
                }
            }
        }
    }

    /** One episode, directly: the head's parameters [way, D], PyTorch SGD; query accuracy (%). */
    static double reference(FineTuneHead head, FineTuneRecipe recipe, EpisodeStart start, FeatureCache cache,
            Episode ep) {
        int way = ep.way();
        int shot = ep.shot();
        int n = way * shot;
        int dim = cache.dim();
        boolean cosine = head == FineTuneHead.COSINE;
        double scale = FineTuneHead.cosineScale(way);
        double[][] x = new double[n][];
        for (int j = 0; j < n; j++) {
            x[j] = prepare(cache.row(ep.support()[j]), cosine);
        }
        double[][] init = start.initialHead(ep.index(), way, dim);
        double[][] w = new double[way][dim];
        double[] b = new double[way]; // bias, or g for the cosine head
        for (int k = 0; k < way; k++) {
            System.arraycopy(init[0], k * dim, w[k], 0, dim);
            b[k] = cosine ? norm(w[k]) : init[1][k];
        }
        double[][] bufW = new double[way][dim];
        double[] bufB = new double[way];
        int[][] orders = start.supportOrders(ep.index(), recipe.epochs(), n);
        boolean first = true;
        for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
            for (int from = 0; from < n; from += recipe.batchSize()) {
                int size = Math.min(recipe.batchSize(), n - from);
                double[][] gw = new double[way][dim];
                double[] gb = new double[way];
                for (int t = 0; t < size; t++) {
                    int j = orders[epoch][from + t];
                    double[] p = softmax(logits(w, b, x[j], cosine, scale));
                    for (int k = 0; k < way; k++) {
                        double g = (p[k] - (k == j / shot ? 1 : 0)) / size;
                        if (cosine) {
                            double nv = norm(w[k]);
                            double c = dot(w[k], x[j]) / nv;
                            gb[k] += g * scale * c;
                            for (int d = 0; d < dim; d++) {
                                gw[k][d] += g * scale * b[k] / nv * (x[j][d] - c * w[k][d] / nv);
                            }
                        } else {
                            gb[k] += g;
                            for (int d = 0; d < dim; d++) {
                                gw[k][d] += g * x[j][d];
                            }
                        }
                    }
                }
                for (int k = 0; k < way; k++) {
                    for (int d = 0; d < dim; d++) {
                        double grad = gw[k][d] + recipe.weightDecay() * w[k][d];
                        bufW[k][d] = first ? grad : recipe.momentum() * bufW[k][d] + (1 - recipe.dampening()) * grad;
                    }
                    double grad = gb[k] + recipe.weightDecay() * b[k];
                    bufB[k] = first ? grad : recipe.momentum() * bufB[k] + (1 - recipe.dampening()) * grad;
                }
                for (int k = 0; k < way; k++) {
                    for (int d = 0; d < dim; d++) {
                        w[k][d] -= recipe.lr() * bufW[k][d];
                    }
                    b[k] -= recipe.lr() * bufB[k];
                }
                first = false;
            }
        }
        int correct = 0;
        int qpc = ep.queriesPerClass();
        for (int i = 0; i < ep.query().length; i++) {
            double[] s = logits(w, b, prepare(cache.row(ep.query()[i]), cosine), cosine, scale);
            int best = 0;
            for (int k = 1; k < way; k++) {
                best = s[k] > s[best] ? k : best;
            }
            correct += best == i / qpc ? 1 : 0;
        }
        return 100.0 * correct / ep.query().length;
    }

    private static double[] prepare(double[] row, boolean cosine) {
        if (!cosine) {
            return row;
        }
        double n = norm(row) + FineTuneHead.FEATURE_EPS;
        double[] out = new double[row.length];
        for (int d = 0; d < row.length; d++) {
            out[d] = row[d] / n;
        }
        return out;
    }

    private static double[] logits(double[][] w, double[] b, double[] x, boolean cosine, double scale) {
        double[] s = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            s[k] = cosine ? scale * b[k] * dot(w[k], x) / norm(w[k]) : dot(w[k], x) + b[k];
        }
        return s;
    }

    private static double[] softmax(double[] s) {
        double max = java.util.Arrays.stream(s).max().orElseThrow();
        double sum = 0;
        double[] p = new double[s.length];
        for (int k = 0; k < s.length; k++) {
            p[k] = Math.exp(s[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < s.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
