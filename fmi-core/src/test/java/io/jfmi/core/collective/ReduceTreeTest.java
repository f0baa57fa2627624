package io.jfmi.core.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.channel.Tags;
import io.jfmi.core.collective.ReduceTree.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReduceTreeTest {
    @ParameterizedTest
    @EnumSource(Shape.class)
    void everyRankReachesTheRootOnceWithinLog2Levels(Shape shape) {
        for (int n = 1; n <= 33; n++) {
            int ceilLog2 = 32 - Integer.numberOfLeadingZeros(n - 1);
            int levels = shape == Shape.BINARY ? 31 - Integer.numberOfLeadingZeros(n) : ceilLog2;
            int[] received = new int[n];
            for (int vr = 0; vr < n; vr++) {
                ReduceTree t = ReduceTree.of(shape, vr, n);
                assertEquals(vr == 0, t.parent < 0, "n " + n + " rank " + vr);
                for (int i = 0; i < t.childCount; i++) {
                    int c = t.child(i);
                    assertTrue(c > vr && c < n, "n " + n + ": child " + c + " of " + vr);
                    ReduceTree child = ReduceTree.of(shape, c, n);
                    assertEquals(vr, child.parent, "n " + n + ": child " + c + " of " + vr);
                    assertEquals(t.childRound(i), child.parentRound, "n " + n + ": the round of " + c + " -> " + vr);
                    assertTrue(t.childRound(i) >= 0 && t.childRound(i) < Tags.MAX_ROUNDS - 1);
                    received[c]++;
                }
                int depth = 0;
                for (int r = vr; r != 0; r = ReduceTree.of(shape, r, n).parent) {
                    depth++;
                }
                assertTrue(depth <= levels, shape + " n " + n + " rank " + vr + " depth " + depth);
            }
            for (int vr = 1; vr < n; vr++) {
                assertEquals(1, received[vr], "n " + n + ": rank " + vr + " is a child of exactly one rank");
            }
        }
    }

    private static int[] children(Shape shape, int vr, int n) {
        ReduceTree t = ReduceTree.of(shape, vr, n);
        int[] c = new int[t.childCount];
        for (int i = 0; i < c.length; i++) {
            c[i] = t.child(i);
        }
        return c;
    }

    private static List<Integer> folding(Shape shape, int n) {
        List<Integer> folding = new ArrayList<>();
        for (int vr = 0; vr < n; vr++) {
            if (ReduceTree.of(shape, vr, n).childCount > 0) {
                folding.add(vr);
            }
        }
        return folding;
    }

    @Test
    void doublingFoldsOnEvenRanksAndHalvingOnTheLowHalf() {
        assertArrayEquals(new int[] {1, 2, 4}, children(Shape.DOUBLING, 0, 8));
        assertArrayEquals(new int[] {3}, children(Shape.DOUBLING, 2, 8));
        assertArrayEquals(new int[] {5, 6}, children(Shape.DOUBLING, 4, 8));
        assertArrayEquals(new int[] {4, 2, 1}, children(Shape.HALVING, 0, 8));
        assertArrayEquals(new int[] {5, 3}, children(Shape.HALVING, 1, 8));
        assertArrayEquals(new int[] {6}, children(Shape.HALVING, 2, 8));
        assertArrayEquals(new int[] {7}, children(Shape.HALVING, 3, 8));
        assertEquals(List.of(0, 1, 2, 3), folding(Shape.HALVING, 8));
        assertEquals(1, ReduceTree.of(Shape.HALVING, 5, 6).parent); // 5 -> 1 in the first round of 6 ranks,
        assertEquals(2, ReduceTree.of(Shape.HALVING, 5, 6).parentRound); // over a distance of 4
        assertArrayEquals(new int[] {2, 1}, children(Shape.HALVING, 0, 3)); // distances start at 2, below 3
        assertArrayEquals(new int[] {3}, children(Shape.HALVING, 1, 5)); // 1 + 4 is out of range, 1 + 2 is not
        assertArrayEquals(new int[] {5, 3}, children(Shape.HALVING, 1, 6));
        assertArrayEquals(new int[] {}, children(Shape.HALVING, 2, 6)); // 2 + 4 is out of range
    }

    @Test
    void binaryGivesEveryRankAtMostTwoChildrenOnBothCoresOfARoundRobinPlacement() {
        assertArrayEquals(new int[] {1, 2}, children(Shape.BINARY, 0, 8));
        assertArrayEquals(new int[] {3, 4}, children(Shape.BINARY, 1, 8));
        assertArrayEquals(new int[] {5, 6}, children(Shape.BINARY, 2, 8));
        assertArrayEquals(new int[] {7}, children(Shape.BINARY, 3, 8));
        assertEquals(List.of(0, 1, 2, 3), folding(Shape.BINARY, 8));
        assertArrayEquals(new int[] {1}, children(Shape.BINARY, 0, 2));
        assertArrayEquals(new int[] {}, children(Shape.BINARY, 0, 1));
        assertEquals(1, ReduceTree.of(Shape.BINARY, 4, 8).parent);
        assertEquals(1, ReduceTree.of(Shape.BINARY, 4, 8).parentRound); // the right child
        for (int vr = 0; vr < 8; vr++) {
            int[] c = children(Shape.BINARY, vr, 8);
            if (c.length == 2) {
                assertTrue(c[0] % 2 != c[1] % 2, "rank " + vr + "'s children on both of two cores");
            }
        }
    }
}
