package cambench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cambench.api.UserException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The named CUB few-shot class splits: sizes, disjoint cover of the 200 classes, determinism. */
class CubClassSplitTest {

    private static void assertCoversOnce(int[][] split, int classes) {
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(split[0]), Arrays.stream(split[1])),
                Arrays.stream(split[2])).sorted().toArray();
        assertArrayEquals(IntStream.range(0, classes).toArray(), all, "every class in exactly one split");
    }

    @Test
    void closerLook_is100_50_50ByClassIndex() {
        int[][] s = CubClassSplit.of("closerlook", 200, 0);
        assertEquals(100, s[0].length);
        assertEquals(50, s[1].length);
        assertEquals(50, s[2].length);
        assertArrayEquals(new int[] {0, 2, 4}, Arrays.copyOf(s[0], 3));
        assertArrayEquals(new int[] {1, 5, 9}, Arrays.copyOf(s[1], 3));   // i % 4 == 1
        assertArrayEquals(new int[] {3, 7, 11}, Arrays.copyOf(s[2], 3));  // i % 4 == 3
        assertCoversOnce(s, 200);
    }

    @Test
    void sec41_is120_30_50SeededAndDeterministic() {
        int[][] a = CubClassSplit.of("120-30-50", 200, 0);
        assertEquals(120, a[0].length);
        assertEquals(30, a[1].length);
        assertEquals(50, a[2].length);
        assertCoversOnce(a, 200);
        assertArrayEquals(a[2], CubClassSplit.of("120-30-50", 200, 0)[2], "same seed, same split");
        assertFalse(Arrays.equals(a[2], CubClassSplit.of("120-30-50", 200, 1)[2]), "another seed, another split");
    }

    @Test
    void badNameOrClassCount_isOneLine() {
        UserException size = assertThrows(UserException.class, () -> CubClassSplit.of("120-30-50", 4, 0));
        assertEquals("CUB split '120-30-50' needs the 200 classes of CUB-200-2011, the set has 4", size.getMessage());
        assertThrows(UserException.class, () -> CubClassSplit.of("dn4", 200, 0));
    }
}
