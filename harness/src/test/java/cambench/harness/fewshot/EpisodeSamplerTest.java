package cambench.harness.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cambench.api.UserException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Episodic sampling: invariants, determinism, the too-small-class error. Engine-free. */
class EpisodeSamplerTest {
    private static final int CLASSES = 12;
    private static final int PER_CLASS = 25;

    /** Class c owns images c*PER_CLASS .. c*PER_CLASS+PER_CLASS-1 (so an image's class is i / PER_CLASS). */
    private static int[][] imagesByClass(int classes, int perClass) {
        int[][] out = new int[classes][perClass];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                out[c][i] = c * perClass + i;
            }
        }
        return out;
    }

    private static List<String> names(int classes) {
        List<String> n = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            n.add("class" + c);
        }
        return n;
    }

    private static EpisodeSampler sampler(int way, int shot, int query, long seed) {
        return new EpisodeSampler(imagesByClass(CLASSES, PER_CLASS), names(CLASSES), way, shot, query, seed);
    }

    @Test
    void episode_5way5shot16query_satisfiesInvariants() {
        EpisodeSampler s = sampler(5, 5, 16, 3);
        for (Episode e : s.episodes(200)) {
            assertEquals(5, e.way());
            assertEquals(5, e.shot());
            assertEquals(16, e.queriesPerClass());
            Set<Integer> classes = new HashSet<>();
            for (int c : e.classes()) {
                assertTrue(c >= 0 && c < CLASSES);
                classes.add(c);
            }
            assertEquals(5, classes.size(), "classes drawn without replacement");
            Set<Integer> images = new HashSet<>();
            for (int i = 0; i < e.support().length; i++) {
                assertEquals(e.classes()[i / 5], e.support()[i] / PER_CLASS, "support image of the wrong class");
                images.add(e.support()[i]);
            }
            for (int i = 0; i < e.query().length; i++) {
                assertEquals(e.classes()[i / 16], e.query()[i] / PER_CLASS, "query image of the wrong class");
                images.add(e.query()[i]);
            }
            assertEquals(5 * 21, images.size(), "images distinct, support and query disjoint");
        }
    }

    /** Values printed by the code before the seed helpers were merged: episodes must stay bit-identical. */
    @Test
    void episode_seed11Index37_isPinned() {
        Episode e = sampler(5, 1, 2, 11).episode(37);
        assertArrayEquals(new int[] {3, 10, 9, 8, 5}, e.classes());
        assertArrayEquals(new int[] {94, 254, 242, 220, 128}, e.support());
        assertArrayEquals(new int[] {89, 82, 251, 260, 232, 225, 215, 204, 149, 134}, e.query());
    }

    @Test
    void episodeStart_seed5Index3_isPinned() {
        EpisodeStart start = new EpisodeStart(5);
        double[][] head = start.initialHead(3, 2, 4);
        assertArrayEquals(new double[] {-0.18060051689014167, -0.45984979837090756, 0.4214083554384931,
            0.006739010610797069, 0.45317860992219505, 0.16673829921199157, 0.10365793206532337,
            0.05489445673443383}, head[0], 0.0);
        assertArrayEquals(new double[] {0.4878810460902121, 0.4880419936903545}, head[1], 0.0);
        assertArrayEquals(new int[][] {{3, 0, 4, 1, 2}, {4, 0, 2, 3, 1}}, start.supportOrders(3, 2, 5));
    }

    @Test
    void episode_sameSeedAndIndex_isIdenticalWhateverWasSampledBefore() {
        Episode direct = sampler(5, 1, 16, 11).episode(37);
        EpisodeSampler other = sampler(5, 1, 16, 11);
        other.episodes(60);
        Episode later = other.episode(37);
        assertArrayEquals(direct.classes(), later.classes());
        assertArrayEquals(direct.support(), later.support());
        assertArrayEquals(direct.query(), later.query());
        assertArrayEquals(direct.classes(), other.episodes(40)[37].classes());
    }

    @Test
    void episode_otherSeedOrIndex_differs() {
        Episode a = sampler(5, 5, 16, 1).episode(0);
        Episode b = sampler(5, 5, 16, 2).episode(0);
        Episode c = sampler(5, 5, 16, 1).episode(1);
        assertFalse(java.util.Arrays.equals(a.support(), b.support()));
        assertFalse(java.util.Arrays.equals(a.support(), c.support()));
    }

    @Test
    void episodes_manyDraws_coverEveryClassRoughlyUniformly() {
        int[] counts = new int[CLASSES];
        for (Episode e : sampler(5, 1, 1, 5).episodes(1200)) {
            for (int c : e.classes()) {
                counts[c]++;
            }
        }
        // expected 1200 * 5 / 12 = 500 per class; binomial sd ~ 17
        for (int c = 0; c < CLASSES; c++) {
            assertTrue(counts[c] > 400 && counts[c] < 600, "class " + c + " drawn " + counts[c] + " times");
        }
    }

    @Test
    void constructor_classTooSmall_isOneLineErrorNamingIt() {
        int[][] images = imagesByClass(6, 30);
        images[4] = new int[] {1, 2, 3};
        UserException e = assertThrows(UserException.class,
                () -> new EpisodeSampler(images, names(6), 5, 5, 16, 1));
        assertTrue(e.getMessage().contains("'class4'"), e.getMessage());
        assertTrue(e.getMessage().contains("21"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void constructor_fewerClassesThanWay_fails() {
        assertThrows(UserException.class, () -> new EpisodeSampler(imagesByClass(4, 30), names(4), 5, 1, 1, 1));
    }

    @Test
    void episodeStart_sameSeedAndIndex_isDeterministicPermutations() {
        EpisodeStart a = new EpisodeStart(9);
        int[][] orders = a.supportOrders(4, 100, 25);
        assertArrayEquals(orders[17], new EpisodeStart(9).supportOrders(4, 100, 25)[17]);
        for (int[] p : orders) {
            int[] sorted = p.clone();
            java.util.Arrays.sort(sorted);
            for (int i = 0; i < 25; i++) {
                assertEquals(i, sorted[i]);
            }
        }
        assertArrayEquals(a.initialHead(4, 5, 8)[0], new EpisodeStart(9).initialHead(4, 5, 8)[0]);
        assertFalse(java.util.Arrays.equals(a.initialHead(4, 5, 8)[0], a.initialHead(5, 5, 8)[0]));
    }

    @Test
    void featureCache_saveLoad_roundTrips(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        float[] f = {1, 2, 3, 4, 5, 6};
        FeatureCache c = new FeatureCache(f, new int[] {0, 1, 1}, 2, List.of("a", "b"));
        java.nio.file.Path file = dir.resolve("x.feat");
        c.save(file);
        FeatureCache r = FeatureCache.load(file);
        assertEquals(3, r.count());
        assertEquals(List.of("a", "b"), r.classes());
        assertArrayEquals(new double[] {5, 6}, r.row(2));
        assertArrayEquals(new int[] {1, 2}, r.indicesByClass()[1]);
    }
}
