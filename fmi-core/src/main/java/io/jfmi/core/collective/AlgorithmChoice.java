package io.jfmi.core.collective;

import io.jfmi.core.Tuning;
import io.jfmi.core.Tuning.AllgatherAlgorithm;
import io.jfmi.core.Tuning.AllreduceAlgorithm;
import io.jfmi.core.Tuning.AlltoallAlgorithm;
import io.jfmi.core.Tuning.BcastAlgorithm;
import io.jfmi.core.Tuning.ReduceAlgorithm;

/**
 * Which algorithm each collective runs: one pure function per collective of the tuning, the rank count, the size
 * and the op's flags, in the manner of Open MPI's fixed decision rules. A forced algorithm is honoured unless the
 * op cannot run on it (a non-associative op must be folded left to right; the ring reorders a non-commutative
 * one), in which case the safe algorithm is used instead. Every rank computes the same answer from the same
 * arguments, so no rank has to tell another which algorithm it picked.
 */
public final class AlgorithmChoice {
    private AlgorithmChoice() {
    }

    /**
     * @param ranks      the rank count: recursive doubling needs a power of two (otherwise the ring runs)
     * @param totalBytes the gathered total, all ranks' blocks together
     */
    public static AllgatherAlgorithm allgather(Tuning t, int ranks, long totalBytes) {
        boolean powerOfTwo = Integer.bitCount(ranks) == 1;
        return switch (t.allgather()) {
            case AUTO -> {
                if (powerOfTwo && totalBytes / ranks <= Tuning.ALLGATHER_RECURSIVE_DOUBLING_MAX_BLOCK_BYTES) {
                    yield AllgatherAlgorithm.RECURSIVE_DOUBLING;
                }
                yield totalBytes <= t.bruckMaxBytes() ? AllgatherAlgorithm.BRUCK : AllgatherAlgorithm.RING;
            }
            case BRUCK, RING -> t.allgather();
            case RECURSIVE_DOUBLING -> powerOfTwo ? t.allgather() : AllgatherAlgorithm.RING;
        };
    }

    /**
     * @param bytes the vector's size on each rank
     * @param commutative a halving tree folds out of rank order, so a non-commutative op gets the binomial one
     */
    public static ReduceAlgorithm reduce(Tuning t, int ranks, long bytes, boolean associative, boolean commutative) {
        if (!associative) {
            return ReduceAlgorithm.LINEAR;
        }
        return switch (t.reduce()) {
            case AUTO -> bytes <= Tuning.REDUCE_LINEAR_MAX_BYTES && ranks <= Tuning.REDUCE_LINEAR_MAX_RANKS
                    ? ReduceAlgorithm.LINEAR : commutative ? ReduceAlgorithm.HALVING : ReduceAlgorithm.BINOMIAL;
            case HALVING, BINARY -> commutative ? t.reduce() : ReduceAlgorithm.BINOMIAL;
            case BINOMIAL, LINEAR -> t.reduce();
        };
    }

    /** @param bytes the vector's size on each rank */
    public static AllreduceAlgorithm allreduce(Tuning t, int ranks, long bytes, boolean commutative,
            boolean associative) {
        if (!associative) {
            return AllreduceAlgorithm.REDUCE_BCAST;
        }
        return switch (t.allreduce()) {
            case AUTO -> {
                if (ranks > 2 && Integer.bitCount(ranks) == 1) {
                    if (bytes < Tuning.ALLREDUCE_HALVING_DOUBLING_MIN_BYTES) {
                        yield AllreduceAlgorithm.RECURSIVE_DOUBLING;
                    }
                    yield commutative ? AllreduceAlgorithm.HALVING_DOUBLING : AllreduceAlgorithm.REDUCE_BCAST;
                }
                long ringFrom = ranks == 2 ? t.allreduceRingMinBytesTwoRanks() : t.allreduceRingMinBytes();
                if (bytes < ringFrom) {
                    yield AllreduceAlgorithm.RECURSIVE_DOUBLING;
                }
                yield commutative ? AllreduceAlgorithm.RING : AllreduceAlgorithm.REDUCE_BCAST;
            }
            case RING, HALVING_DOUBLING -> commutative ? t.allreduce() : AllreduceAlgorithm.REDUCE_BCAST;
            case RECURSIVE_DOUBLING, REDUCE_BCAST -> t.allreduce();
        };
    }

    public static BcastAlgorithm bcast(Tuning t, int ranks, long bytes) {
        return switch (t.bcast()) {
            case AUTO -> bytes >= t.bcastLargeMinBytes() && ranks > 2 ? BcastAlgorithm.SCATTER_ALLGATHER
                    : BcastAlgorithm.BINOMIAL;
            case BINOMIAL, SCATTER_ALLGATHER -> t.bcast();
        };
    }

    /**
     * @param ranks       the communicator's size
     * @param sentBytes   the bytes this rank sends in total (an alltoallv's ranks each decide on their own total;
     *                    see Alltoall)
     * @param equalBlocks an alltoall (every rank's blocks the same size, so every rank decides alike), not an
     *                    alltoallv: Bruck's rounds forward other ranks' blocks and need all ranks on them
     */
    public static AlltoallAlgorithm alltoall(Tuning t, int ranks, long sentBytes, boolean equalBlocks) {
        AlltoallAlgorithm bySize = sentBytes >= t.alltoallPairwiseMinBytes() ? AlltoallAlgorithm.PAIRWISE
                : AlltoallAlgorithm.POSTED;
        return switch (t.alltoall()) {
            case AUTO -> equalBlocks && bySize == AlltoallAlgorithm.POSTED && ranks >= Tuning.ALLTOALL_BRUCK_MIN_RANKS
                    && sentBytes / ranks <= Tuning.ALLTOALL_BRUCK_MAX_BLOCK_BYTES ? AlltoallAlgorithm.BRUCK : bySize;
            case BRUCK -> equalBlocks ? AlltoallAlgorithm.BRUCK : bySize;
            case POSTED, PAIRWISE -> t.alltoall();
        };
    }
}
