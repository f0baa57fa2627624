package io.jfmi.core.collective;

/**
 * How a vector of {@code count} elements splits into per-rank blocks: either given counts, or an even split
 * where the first {@code count % n} blocks get one element more. Offsets and sizes are in bytes.
 */
public final class Blocks {
    private final int[] offsets;
    private final int[] sizes;
    private final int total;

    private Blocks(int[] counts, int elementSize) {
        offsets = new int[counts.length];
        sizes = new int[counts.length];
        long at = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("count of block " + i + " is negative: " + counts[i]);
            }
            offsets[i] = (int) at;
            sizes[i] = counts[i] * elementSize;
            at += (long) counts[i] * elementSize;
            if (at > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("blocks add up to more than 2 GiB");
            }
        }
        total = (int) at;
    }

    /** Blocks of the given element counts, packed one after another. */
    public static Blocks ofCounts(int[] counts, int elementSize) {
        return new Blocks(counts.clone(), elementSize);
    }

    /** {@code count} elements split as evenly as possible over {@code n} blocks. */
    public static Blocks even(int count, int n, int elementSize) {
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            counts[i] = count / n + (i < count % n ? 1 : 0);
        }
        return new Blocks(counts, elementSize);
    }

    public int offset(int block) {
        return offsets[block];
    }

    public int size(int block) {
        return sizes[block];
    }

    /** Bytes of all blocks together. */
    public int total() {
        return total;
    }

    public int count() {
        return sizes.length;
    }
}
