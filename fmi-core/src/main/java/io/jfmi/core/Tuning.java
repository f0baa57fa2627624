package io.jfmi.core;

/**
 * Algorithm choices and the thresholds that drive them. {@code AUTO} picks by message size, rank count and
 * whether the op commutes (the rules are in one place, {@code collective.AlgorithmChoice}); a named algorithm
 * forces it (for experiments, and to work around a bad choice). Thresholds were measured on 2-vCPU machines with
 * up to 8 ranks over loopback (see benchmarks/RESULTS.md).
 *
 * @param allgather                     allgather algorithm
 * @param reduce                        reduce algorithm
 * @param allreduce                     allreduce algorithm
 * @param bcast                         bcast algorithm
 * @param alltoall                      alltoall algorithm
 * @param bruckMaxBytes                 allgather uses Bruck while the gathered total is at most this, ring above
 * @param allreduceRingMinBytes         allreduce uses the ring (reduce-scatter + allgather) from this size up, for
 *                                      commutative ops and more than 2 ranks not a power of two; recursive doubling
 *                                      below (a power of two: {@link #ALLREDUCE_HALVING_DOUBLING_MIN_BYTES})
 * @param allreduceRingMinBytesTwoRanks the same threshold for exactly 2 ranks, where the ring saves less
 * @param bcastLargeMinBytes            bcast uses scatter + ring allgather from this size up (more than 2 ranks),
 *                                      binomial tree below
 * @param alltoallPairwiseMinBytes      alltoall uses pairwise steps from this many bytes sent per rank up, all
 *                                      transfers posted at once below
 * @param segmentBytes                  pipeline segment of large reductions: bounds their scratch memory
 */
public record Tuning(AllgatherAlgorithm allgather, ReduceAlgorithm reduce, AllreduceAlgorithm allreduce,
        BcastAlgorithm bcast, AlltoallAlgorithm alltoall, long bruckMaxBytes, long allreduceRingMinBytes,
        long allreduceRingMinBytesTwoRanks, long bcastLargeMinBytes, long alltoallPairwiseMinBytes,
        int segmentBytes) {

    public static final long DEFAULT_BRUCK_MAX_BYTES = 256 * 1024;
    /**
     * Measured 2026-11-25 (benchmarks/RESULTS.md): with 4 and 8 ranks recursive doubling was as fast or faster
     * than the ring up to 256 KiB, the ring 2x faster at 1 MiB with 4 ranks.
     */
    public static final long DEFAULT_ALLREDUCE_RING_MIN_BYTES = 256 * 1024;
    /** Measured 2026-11-25: with 2 ranks recursive doubling won up to 256 KiB and tied the ring at 1 MiB. */
    public static final long DEFAULT_ALLREDUCE_RING_MIN_BYTES_TWO_RANKS = 1024 * 1024;
    public static final long DEFAULT_BCAST_LARGE_MIN_BYTES = 256 * 1024;
    public static final long DEFAULT_ALLTOALL_PAIRWISE_MIN_BYTES = 64 * 1024;
    /**
     * Measured 2026-12-02 with {@code benchmarks paired} (both settings in the same rank JVMs, benchmarks/RESULTS.md):
     * 512 KiB against 256 KiB took 0.77-0.99x the time of reduce and 0.89-0.97x of allreduce from 1 to 16 MiB at 2
     * and 4 ranks; 1 MiB against 512 KiB was level for allreduce and slower for a 1 MiB reduce (one segment: no
     * pipeline). Each segment is a message and a step of its own, which costs more than the overlap saves below
     * this size.
     */
    public static final int DEFAULT_SEGMENT_BYTES = 512 * 1024;
    /**
     * With AUTO, a reduce of at most this many bytes over at most {@link #REDUCE_LINEAR_MAX_RANKS} ranks is linear
     * (every rank sends to the root at once): measured 2026-12-01 (benchmarks/RESULTS.md), 8 B and 1 KiB at 4 and 8
     * ranks took 20-35% less time than the binomial tree, whose interior ranks wait on their subtrees.
     */
    public static final long REDUCE_LINEAR_MAX_BYTES = 1024;
    public static final int REDUCE_LINEAR_MAX_RANKS = 16;
    /**
     * With AUTO, an alltoall of equal blocks of at most this many bytes each, over at least
     * {@link #ALLTOALL_BRUCK_MIN_RANKS} ranks and below the pairwise threshold in total, runs Bruck's log2 N rounds
     * instead of N - 1 posted messages. Measured 2026-12-03 with {@code benchmarks paired}, Bruck's mean over
     * posted: 8 ranks 0.48-0.66x from 8 B to 2 KiB, 0.70-0.84x at 4 KiB, 1.15x at 16 KiB; 4 ranks
     * 0.65-0.93x up to 16 KiB except 256 B (1.13x and 1.07x in two of three runs); 3 ranks about even, hence the
     * minimum of 4 (benchmarks/RESULTS.md).
     */
    public static final long ALLTOALL_BRUCK_MAX_BLOCK_BYTES = 4096;
    public static final int ALLTOALL_BRUCK_MIN_RANKS = 4;
    /**
     * With AUTO and a power-of-two rank count, an allgather of blocks of at most this many bytes runs recursive
     * doubling (log2 N steps, in place) instead of Bruck or the ring. Measured 2026-12-03 with {@code benchmarks
     * paired}, 4 and 8 ranks: against Bruck (blocks of 8 B to 32 KiB) 0.76-0.99x, against the ring 0.54-0.95x from
     * 64 to 256 KiB, and against the ring 0.93-1.09x from 512 KiB to 64 MiB, hence the limit
     * (benchmarks/RESULTS.md).
     */
    public static final long ALLGATHER_RECURSIVE_DOUBLING_MAX_BLOCK_BYTES = 256 * 1024;
    /**
     * With AUTO, a power-of-two rank count above 2 and a commutative element-wise op, an allreduce of at least this
     * many bytes runs recursive halving and doubling (the ring's bytes in 2 log2 N steps), recursive doubling below.
     * Measured 2026-12-03 with {@code benchmarks paired}, 4 and 8 ranks bound to 2 cores: against the ring
     * 0.52-0.85x from 256 KiB to 1 MiB, 0.90-0.99x at 4 MiB, 0.91-1.03x at 16 MiB; against recursive doubling
     * 1.15-2.08x from 16 to 128 KiB, 0.97x and 1.15x at 256 KiB, 0.84x and 0.73x at 512 KiB
     * (benchmarks/RESULTS.md). At 3 and 6 ranks the fold of the extra ranks cost more than the fewer steps saved.
     */
    public static final long ALLREDUCE_HALVING_DOUBLING_MIN_BYTES = 512 * 1024;

    public Tuning {
        if (allgather == null || reduce == null || allreduce == null || bcast == null || alltoall == null) {
            throw new IllegalArgumentException("algorithms must not be null (use AUTO)");
        }
        if (bruckMaxBytes < 0 || allreduceRingMinBytes < 0 || allreduceRingMinBytesTwoRanks < 0
                || bcastLargeMinBytes < 0 || alltoallPairwiseMinBytes < 0) {
            throw new IllegalArgumentException("thresholds must be >= 0");
        }
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes must be >= 1024, got " + segmentBytes);
        }
    }

    public static Tuning defaults() {
        return new Tuning(AllgatherAlgorithm.AUTO, ReduceAlgorithm.AUTO, AllreduceAlgorithm.AUTO, BcastAlgorithm.AUTO,
                AlltoallAlgorithm.AUTO, DEFAULT_BRUCK_MAX_BYTES, DEFAULT_ALLREDUCE_RING_MIN_BYTES,
                DEFAULT_ALLREDUCE_RING_MIN_BYTES_TWO_RANKS, DEFAULT_BCAST_LARGE_MIN_BYTES,
                DEFAULT_ALLTOALL_PAIRWISE_MIN_BYTES, DEFAULT_SEGMENT_BYTES);
    }

    public Tuning withAllgather(AllgatherAlgorithm a) {
        return new Tuning(a, reduce, allreduce, bcast, alltoall, bruckMaxBytes, allreduceRingMinBytes,
                allreduceRingMinBytesTwoRanks, bcastLargeMinBytes, alltoallPairwiseMinBytes, segmentBytes);
    }

    public Tuning withReduce(ReduceAlgorithm a) {
        return new Tuning(allgather, a, allreduce, bcast, alltoall, bruckMaxBytes, allreduceRingMinBytes,
                allreduceRingMinBytesTwoRanks, bcastLargeMinBytes, alltoallPairwiseMinBytes, segmentBytes);
    }

    public Tuning withAllreduce(AllreduceAlgorithm a) {
        return new Tuning(allgather, reduce, a, bcast, alltoall, bruckMaxBytes, allreduceRingMinBytes,
                allreduceRingMinBytesTwoRanks, bcastLargeMinBytes, alltoallPairwiseMinBytes, segmentBytes);
    }

    public Tuning withBcast(BcastAlgorithm a) {
        return new Tuning(allgather, reduce, allreduce, a, alltoall, bruckMaxBytes, allreduceRingMinBytes,
                allreduceRingMinBytesTwoRanks, bcastLargeMinBytes, alltoallPairwiseMinBytes, segmentBytes);
    }

    public Tuning withAlltoall(AlltoallAlgorithm a) {
        return new Tuning(allgather, reduce, allreduce, bcast, a, bruckMaxBytes, allreduceRingMinBytes,
                allreduceRingMinBytesTwoRanks, bcastLargeMinBytes, alltoallPairwiseMinBytes, segmentBytes);
    }

    /** Sets the size thresholds in one call; pass the current value (or a DEFAULT_ constant) to keep one. */
    public Tuning withThresholds(long bruckMax, long allreduceRingMin, long allreduceRingMinTwoRanks,
            long bcastLargeMin, long alltoallPairwiseMin) {
        return new Tuning(allgather, reduce, allreduce, bcast, alltoall, bruckMax, allreduceRingMin,
                allreduceRingMinTwoRanks, bcastLargeMin, alltoallPairwiseMin, segmentBytes);
    }

    public Tuning withSegmentBytes(int bytes) {
        return new Tuning(allgather, reduce, allreduce, bcast, alltoall, bruckMaxBytes, allreduceRingMinBytes,
                allreduceRingMinBytesTwoRanks, bcastLargeMinBytes, alltoallPairwiseMinBytes, bytes);
    }

    /** {@code RECURSIVE_DOUBLING} needs a power-of-two rank count; other counts run the ring instead. */
    public enum AllgatherAlgorithm {
        AUTO, BRUCK, RING, RECURSIVE_DOUBLING
    }

    public enum ReduceAlgorithm {
        AUTO, BINOMIAL, HALVING, BINARY, LINEAR
    }

    public enum AllreduceAlgorithm {
        AUTO, RECURSIVE_DOUBLING, RING, HALVING_DOUBLING, REDUCE_BCAST
    }

    public enum BcastAlgorithm {
        AUTO, BINOMIAL, SCATTER_ALLGATHER
    }

    public enum AlltoallAlgorithm {
        AUTO, BRUCK, POSTED, PAIRWISE
    }
}
