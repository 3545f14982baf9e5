package cambench.harness.data;

import cambench.api.UserException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The named base / val / novel class splits of CUB-200-2011 for few-shot learning.
 *
 * <ul>
 *   <li>{@code closerlook} (the default): CloserLookFewShot's rule on 0-based class ids, i % 2 == 0
 *       base, i % 4 == 1 val, i % 4 == 3 novel: 100 / 50 / 50 of the 200 classes (its
 *       {@code write_CUB_filelist.py}); the split of CloserLook's numbers and of the CAM-loss
 *       paper's cross-domain setting ("the 50 validation and 50 novel classes from CUB").</li>
 *   <li>{@code 120-30-50}: the 120 / 30 / 50 split the CAM-loss paper's Sec. 4.1 names ("following
 *       [24]", DN4). [24] publishes no class list we can follow, so this is a seeded random
 *       permutation of the 200 class ids (Fisher-Yates over a {@link SplittableRandom} seeded with
 *       {@code seed}): the first 120 base, the next 30 val, the last 50 novel. Our choice.</li>
 * </ul>
 */
public final class CubClassSplit {
    /** CloserLook's split (100 / 50 / 50). */
    public static final String CLOSER_LOOK = "closerlook";
    /** The Sec. 4.1 split (120 / 30 / 50), as a seeded random permutation. */
    public static final String SEC41 = "120-30-50";

    private CubClassSplit() {
    }

    /** Whether {@code name} is one of the named splits (else it is a folder of split files). */
    public static boolean isNamed(String name) {
        return name.equals(CLOSER_LOOK) || name.equals(SEC41);
    }

    /**
     * The 0-based class ids of base, val and novel, each ascending.
     *
     * @param classes the number of classes of the set (200 for CUB)
     * @param seed the permutation seed of {@code 120-30-50} (unused by {@code closerlook})
     * @throws UserException for an unknown name, or {@code 120-30-50} on a set without 200 classes
     */
    public static int[][] of(String name, int classes, long seed) {
        if (name.equals(CLOSER_LOOK)) {
            return new int[][] {mod(classes, 2, 0), mod(classes, 4, 1), mod(classes, 4, 3)};
        }
        if (!name.equals(SEC41)) {
            throw new UserException("CUB split '" + name + "': expected " + CLOSER_LOOK + ", " + SEC41
                    + " or a folder of CloserLook split files");
        }
        if (classes != 200) {
            throw new UserException("CUB split '" + SEC41 + "' needs the 200 classes of CUB-200-2011, the set has "
                    + classes);
        }
        int[] perm = new int[classes];
        for (int i = 0; i < classes; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = classes - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return new int[][] {sorted(perm, 0, 120), sorted(perm, 120, 150), sorted(perm, 150, 200)};
    }

    private static int[] mod(int classes, int m, int rest) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (c % m == rest) {
                out.add(c);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] sorted(int[] perm, int from, int to) {
        int[] out = java.util.Arrays.copyOfRange(perm, from, to);
        java.util.Arrays.sort(out);
        return out;
    }
}
