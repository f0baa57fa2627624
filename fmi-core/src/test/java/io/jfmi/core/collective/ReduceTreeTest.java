package io.jfmi.core.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReduceTreeTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyRankReachesTheRootOnceWithinLog2Rounds(boolean halving) {
        for (int n = 1; n <= 33; n++) {
            int rounds = 32 - Integer.numberOfLeadingZeros(n - 1); // ceil(log2 n)
            int[] received = new int[n];
            for (int vr = 0; vr < n; vr++) {
                ReduceTree t = ReduceTree.of(halving, vr, n);
                assertEquals(vr == 0, t.parent < 0, "n " + n + " rank " + vr);
                for (int i = 0; i < t.childCount; i++) {
                    int c = t.child(i);
                    assertTrue(c > vr && c < n, "n " + n + ": child " + c + " of " + vr);
                    ReduceTree child = ReduceTree.of(halving, c, n);
                    assertEquals(vr, child.parent, "n " + n + ": child " + c + " of " + vr);
                    assertEquals(t.childDistance(i), child.parentDistance);
                    assertEquals(c - vr, t.childDistance(i));
                    received[c]++;
                }
                int depth = 0;
                for (int r = vr; r != 0; r = ReduceTree.of(halving, r, n).parent) {
                    depth++;
                }
                assertTrue(depth <= rounds, "n " + n + " rank " + vr + " depth " + depth);
            }
            for (int vr = 1; vr < n; vr++) {
                assertEquals(1, received[vr], "n " + n + ": rank " + vr + " is a child of exactly one rank");
            }
        }
    }

    private static int[] children(boolean halving, int vr, int n) {
        ReduceTree t = ReduceTree.of(halving, vr, n);
        int[] c = new int[t.childCount];
        for (int i = 0; i < c.length; i++) {
            c[i] = t.child(i);
        }
        return c;
    }

    @Test
    void doublingFoldsOnEvenRanksAndHalvingOnTheLowHalf() {
        assertArrayEquals(new int[] {1, 2, 4}, children(false, 0, 8));
        assertArrayEquals(new int[] {3}, children(false, 2, 8));
        assertArrayEquals(new int[] {5, 6}, children(false, 4, 8));
        assertArrayEquals(new int[] {4, 2, 1}, children(true, 0, 8));
        assertArrayEquals(new int[] {5, 3}, children(true, 1, 8));
        assertArrayEquals(new int[] {6}, children(true, 2, 8));
        assertArrayEquals(new int[] {7}, children(true, 3, 8));
        List<Integer> folding = new ArrayList<>();
        for (int vr = 0; vr < 8; vr++) {
            if (ReduceTree.of(true, vr, 8).childCount > 0) {
                folding.add(vr);
            }
        }
        assertEquals(List.of(0, 1, 2, 3), folding);
        assertEquals(4, ReduceTree.of(true, 5, 6).parentDistance); // 5 -> 1 in the first round of 6 ranks
        assertArrayEquals(new int[] {2, 1}, children(true, 0, 3)); // distances start at 2, the largest below 3
        assertArrayEquals(new int[] {3}, children(true, 1, 5)); // 1 + 4 is out of range, 1 + 2 is not
        assertArrayEquals(new int[] {5, 3}, children(true, 1, 6));
        assertArrayEquals(new int[] {}, children(true, 2, 6)); // 2 + 4 is out of range
    }
}
