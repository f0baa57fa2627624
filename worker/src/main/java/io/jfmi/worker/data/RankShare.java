package io.jfmi.worker.data;

/**
 * The contiguous range of samples rank r of N processes: [r * total / N, (r + 1) * total / N). The ranges of all
 * ranks cover every sample exactly once for any N (a rank may get none when N > total).
 */
public record RankShare(long start, long end) {
    public static RankShare of(long total, int rank, int worldSize) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " outside 0.." + (worldSize - 1));
        }
        return new RankShare(total * rank / worldSize, total * (rank + 1) / worldSize);
    }

    public long size() {
        return end - start;
    }
}
