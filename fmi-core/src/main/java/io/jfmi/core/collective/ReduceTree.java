package io.jfmi.core.collective;

/**
 * One rank's place in a reduce tree over N ranks numbered relative to the tree's root (0). Two shapes, each
 * ceil(log2 N) rounds, each rank sending its partial once:
 *
 * <ul>
 *   <li>doubling (binomial): in the round of distance 1, 2, 4, ... a rank whose lowest set bit is that distance
 *       sends to rank - distance. The folding ranks are the even ones (0 &lt;- 1, 2, 4; 2 &lt;- 3; 4 &lt;- 5, 6; 6
 *       &lt;- 7), and every partial covers a contiguous range of ranks, left before right: the shape for
 *       non-commutative ops.</li>
 *   <li>halving: in the round of distance 2^k, ..., 2, 1 (2^k the largest power of two below N) the ranks from
 *       distance up send to rank - distance. The folding ranks are the low half (0 &lt;- 4, 2, 1; 1 &lt;- 5, 3;
 *       2 &lt;- 6; 3 &lt;- 7). Ranks placed on cores round robin (rank r on core r mod cores, as mpirun --map-by
 *       core and jfmi's own launcher bind them) then spread the folding over the cores, where doubling put all of
 *       it on the even ranks' cores. Partials are not contiguous: commutative ops only.</li>
 * </ul>
 */
final class ReduceTree {
    /** The parent's relative rank, -1 on the root. */
    final int parent;
    /** Distance to the parent: the round's tag index is log2 of it. */
    final int parentDistance;
    /** How many children send to this rank. */
    final int childCount;
    private final boolean halving;
    private final int vr;
    /** Distance to the first child; the others follow at double (doubling) or half (halving) distances. */
    private final int firstChildDistance;

    private ReduceTree(boolean halving, int vr, int parentDistance, int childCount, int firstChildDistance) {
        this.halving = halving;
        this.vr = vr;
        this.parent = vr == 0 ? -1 : vr - parentDistance;
        this.parentDistance = parentDistance;
        this.childCount = childCount;
        this.firstChildDistance = firstChildDistance;
    }

    /** @param vr this rank relative to the tree's root, 0..n-1 */
    static ReduceTree of(boolean halving, int vr, int n) {
        return halving ? halving(vr, n) : doubling(vr, n);
    }

    /** Children at distances 1, 2, 4, ... below the parent's distance (all below n on the root), while in range. */
    private static ReduceTree doubling(int vr, int n) {
        int parentDistance = vr == 0 ? 0 : Integer.lowestOneBit(vr);
        int limit = vr == 0 ? n : parentDistance;
        int count = 0;
        for (int d = 1; d < limit && vr + d < n; d <<= 1) {
            count++;
        }
        return new ReduceTree(false, vr, parentDistance, count, 1);
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
        return new ReduceTree(true, vr, parentDistance, count, first);
    }

    /** Distance to child {@code i}, in the order their partials arrive (round order). */
    int childDistance(int i) {
        return halving ? firstChildDistance >> i : firstChildDistance << i;
    }

    /** Relative rank of child {@code i}. */
    int child(int i) {
        return vr + childDistance(i);
    }

    /** The tag round of a message over {@code distance}: log2 of it. */
    static int round(int distance) {
        return Integer.numberOfTrailingZeros(distance);
    }
}
