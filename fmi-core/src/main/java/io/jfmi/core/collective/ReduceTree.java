package io.jfmi.core.collective;

/**
 * One rank's place in a reduce tree over N ranks numbered relative to the tree's root (0), each rank sending its
 * partial once. Three shapes:
 *
 * <ul>
 *   <li>doubling (binomial), ceil(log2 N) rounds: in the round of distance 1, 2, 4, ... a rank whose lowest set bit
 *       is that distance sends to rank - distance. The folding ranks are the even ones (0 &lt;- 1, 2, 4; 2 &lt;- 3;
 *       4 &lt;- 5, 6; 6 &lt;- 7), and every partial covers a contiguous range of ranks, left before right: the shape
 *       for non-commutative ops.</li>
 *   <li>halving, ceil(log2 N) rounds: in the round of distance 2^k, ..., 2, 1 (2^k the largest power of two below
 *       N) the ranks from distance up send to rank - distance. The folding ranks are the low half (0 &lt;- 4, 2, 1;
 *       1 &lt;- 5, 3; 2 &lt;- 6; 3 &lt;- 7). Ranks placed on cores round robin (rank r on core r mod cores, as
 *       mpirun --map-by core and jfmi's own launcher bind them) then spread the folding over the cores, where
 *       doubling put all of it on the even ranks' cores. Partials are not contiguous: commutative ops only.</li>
 *   <li>binary, floor(log2 N) levels: rank r folds 2r + 1 and 2r + 2 (0 &lt;- 1, 2; 1 &lt;- 3, 4; 2 &lt;- 5, 6;
 *       3 &lt;- 7), so no rank takes more than two partials a call, the root included, and each folding rank's
 *       children sit on both cores of a round-robin placement. Open MPI's default for small reduces at 8 ranks.
 *       Commutative ops only.</li>
 * </ul>
 */
final class ReduceTree {
    /** The three shapes above. */
    enum Shape {
        DOUBLING, HALVING, BINARY
    }

    /** The parent's relative rank, -1 on the root. */
    final int parent;
    /** How many children send to this rank. */
    final int childCount;
    /** The round (tag index) of the message to the parent. */
    final int parentRound;
    private final int[] children;
    private final int[] childRounds;

    private ReduceTree(int parent, int parentRound, int[] children, int[] childRounds) {
        this.parent = parent;
        this.parentRound = parentRound;
        this.childCount = children.length;
        this.children = children;
        this.childRounds = childRounds;
    }

    /** @param vr this rank relative to the tree's root, 0..n-1 */
    static ReduceTree of(Shape shape, int vr, int n) {
        return switch (shape) {
            case DOUBLING -> doubling(vr, n);
            case HALVING -> halving(vr, n);
            case BINARY -> binary(vr, n);
        };
    }

    /** Children at distances 1, 2, 4, ... below the parent's distance (all below n on the root), while in range. */
    private static ReduceTree doubling(int vr, int n) {
        int parentDistance = vr == 0 ? 0 : Integer.lowestOneBit(vr);
        int limit = vr == 0 ? n : parentDistance;
        int count = 0;
        for (int d = 1; d < limit && vr + d < n; d <<= 1) {
            count++;
        }
        return byDistances(vr, parentDistance, 1, count, false);
    }

    /**
     * Children at distances 2^k, ..., 2, 1 above the parent's distance, while in range: those out of range are the
     * largest distances, so the rest are consecutive.
     */
    private static ReduceTree halving(int vr, int n) {
        int parentDistance = vr == 0 ? 0 : Integer.highestOneBit(vr);
        int first = n < 2 ? 0 : Integer.highestOneBit(n - 1);
        while (first > parentDistance && vr + first >= n) {
            first >>= 1;
        }
        int count = 0;
        for (int d = first; d > parentDistance; d >>= 1) {
            count++;
        }
        return byDistances(vr, parentDistance, first, count, true);
    }

    /** Children at distances doubling (or halving) from {@code first}; each message's round is log2 its distance. */
    private static ReduceTree byDistances(int vr, int parentDistance, int first, int count, boolean halving) {
        int[] children = new int[count];
        int[] rounds = new int[count];
        for (int i = 0; i < count; i++) {
            int d = halving ? first >> i : first << i;
            children[i] = vr + d;
            rounds[i] = Integer.numberOfTrailingZeros(d);
        }
        return new ReduceTree(vr == 0 ? -1 : vr - parentDistance,
                vr == 0 ? 0 : Integer.numberOfTrailingZeros(parentDistance), children, rounds);
    }

    /** Children 2vr + 1 (round 0) and 2vr + 2 (round 1) where in range. */
    private static ReduceTree binary(int vr, int n) {
        int count = (int) Math.max(0, Math.min(2, n - (2L * vr + 1)));
        int[] children = new int[count];
        int[] rounds = new int[count];
        for (int i = 0; i < count; i++) {
            children[i] = 2 * vr + 1 + i;
            rounds[i] = i;
        }
        return new ReduceTree(vr == 0 ? -1 : (vr - 1) / 2, vr == 0 ? 0 : (vr - 1) % 2, children, rounds);
    }

    /** Relative rank of child {@code i}, in the order their partials are taken. */
    int child(int i) {
        return children[i];
    }

    /** The round (tag index) of child {@code i}'s message. */
    int childRound(int i) {
        return childRounds[i];
    }
}
