package io.jfmi.core.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfmi.core.Tuning;
import io.jfmi.core.Tuning.AllgatherAlgorithm;
import io.jfmi.core.Tuning.AllreduceAlgorithm;
import io.jfmi.core.Tuning.AlltoallAlgorithm;
import io.jfmi.core.Tuning.BcastAlgorithm;
import io.jfmi.core.Tuning.ReduceAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decision rules as tables: what AUTO picks at and around every threshold, and what a forced choice gives. */
class AlgorithmChoiceTest {
    private static final long KIB = 1024;
    private static final Tuning DEFAULTS = Tuning.defaults();

    @ParameterizedTest(name = "allreduce {0}: {1} ranks, {2} KiB, commutative={3}, associative={4} -> {5}")
    @CsvSource({
        // forced,             ranks, KiB, comm,  assoc, expected
        "AUTO,                 4,     0,   true,  true,  RECURSIVE_DOUBLING",
        "AUTO,                 4,     511, true,  true,  RECURSIVE_DOUBLING",
        "AUTO,                 4,     512, true,  true,  HALVING_DOUBLING",
        "AUTO,                 8,     4096, true, true,  HALVING_DOUBLING",
        "AUTO,                 16,    512, true,  true,  HALVING_DOUBLING",
        "AUTO,                 8,     512, false, true,  REDUCE_BCAST",
        "AUTO,                 3,     255, true,  true,  RECURSIVE_DOUBLING",
        "AUTO,                 3,     256, true,  true,  RING",
        "AUTO,                 6,     4096, true, true,  RING",
        "AUTO,                 2,     256, true,  true,  RECURSIVE_DOUBLING",
        "AUTO,                 2,     1023, true, true,  RECURSIVE_DOUBLING",
        "AUTO,                 2,     1024, true, true,  RING",
        "AUTO,                 6,     256, false, true,  REDUCE_BCAST",
        "AUTO,                 4,     1,   false, true,  RECURSIVE_DOUBLING",
        "AUTO,                 4,     1,   true,  false, REDUCE_BCAST",
        "RING,                 4,     1,   true,  true,  RING",
        "RING,                 4,     1,   false, true,  REDUCE_BCAST",
        "RING,                 4,     1,   true,  false, REDUCE_BCAST",
        "HALVING_DOUBLING,     3,     1,   true,  true,  HALVING_DOUBLING",
        "HALVING_DOUBLING,     4,     1,   false, true,  REDUCE_BCAST",
        "HALVING_DOUBLING,     4,     1,   true,  false, REDUCE_BCAST",
        "RECURSIVE_DOUBLING,   4,     4096, true, true,  RECURSIVE_DOUBLING",
        "RECURSIVE_DOUBLING,   4,     1,   true,  false, REDUCE_BCAST",
        "REDUCE_BCAST,         4,     1,   true,  true,  REDUCE_BCAST",
    })
    void allreduce(AllreduceAlgorithm forced, int ranks, long kib, boolean commutative, boolean associative,
            AllreduceAlgorithm expected) {
        assertEquals(expected, AlgorithmChoice.allreduce(DEFAULTS.withAllreduce(forced), ranks, kib * KIB,
                commutative, associative));
    }

    @ParameterizedTest(name = "allgather {0}: {1} ranks, total {2} KiB -> {3}")
    @CsvSource({
        "AUTO,               3, 0,     BRUCK",
        "AUTO,               3, 256,   BRUCK",
        "AUTO,               3, 257,   RING",
        "AUTO,               6, 256,   BRUCK",
        "AUTO,               4, 0,     RECURSIVE_DOUBLING",
        "AUTO,               4, 1024,  RECURSIVE_DOUBLING",
        "AUTO,               4, 1028,  RING",
        "AUTO,               8, 2048,  RECURSIVE_DOUBLING",
        "AUTO,               8, 2056,  RING",
        "AUTO,               1, 0,     RECURSIVE_DOUBLING",
        "AUTO,               2, 512,   RECURSIVE_DOUBLING",
        "BRUCK,              4, 4096,  BRUCK",
        "RING,               4, 1,     RING",
        "RECURSIVE_DOUBLING, 2, 1,     RECURSIVE_DOUBLING",
        "RECURSIVE_DOUBLING, 8, 65536, RECURSIVE_DOUBLING",
        "RECURSIVE_DOUBLING, 6, 65536, RING",
        "RECURSIVE_DOUBLING, 3, 1,     RING",
    })
    void allgather(AllgatherAlgorithm forced, int ranks, long kib, AllgatherAlgorithm expected) {
        assertEquals(expected, AlgorithmChoice.allgather(DEFAULTS.withAllgather(forced), ranks, kib * KIB));
    }

    @ParameterizedTest(name = "bcast {0}: {1} ranks, {2} KiB -> {3}")
    @CsvSource({
        "AUTO,              4, 255, BINOMIAL",
        "AUTO,              4, 256, SCATTER_ALLGATHER",
        "AUTO,              3, 256, SCATTER_ALLGATHER",
        "AUTO,              2, 4096, BINOMIAL",
        "BINOMIAL,          8, 4096, BINOMIAL",
        "SCATTER_ALLGATHER, 2, 1,   SCATTER_ALLGATHER",
    })
    void bcast(BcastAlgorithm forced, int ranks, long kib, BcastAlgorithm expected) {
        assertEquals(expected, AlgorithmChoice.bcast(DEFAULTS.withBcast(forced), ranks, kib * KIB));
    }

    @ParameterizedTest(name = "reduce {0}: {1} ranks, {2} bytes, associative={3}, commutative={4} -> {5}")
    @CsvSource({
        "AUTO,     8,  8,    true,  true,  LINEAR",
        "AUTO,     16, 1024, true,  true,  LINEAR",
        "AUTO,     16, 1025, true,  true,  HALVING",
        "AUTO,     16, 1025, true,  false, BINOMIAL",
        "AUTO,     17, 8,    true,  true,  HALVING",
        "AUTO,     64, 8,    false, true,  LINEAR",
        "LINEAR,   64, 9999, true,  true,  LINEAR",
        "BINOMIAL, 4,  8,    true,  true,  BINOMIAL",
        "BINOMIAL, 4,  8,    false, true,  LINEAR",
        "HALVING,  4,  8,    true,  true,  HALVING",
        "HALVING,  4,  8,    true,  false, BINOMIAL",
    })
    void reduce(ReduceAlgorithm forced, int ranks, long bytes, boolean associative, boolean commutative,
            ReduceAlgorithm expected) {
        assertEquals(expected,
                AlgorithmChoice.reduce(DEFAULTS.withReduce(forced), ranks, bytes, associative, commutative));
    }

    @ParameterizedTest(name = "alltoall {0}: {1} ranks, {2} bytes sent, equal blocks {3} -> {4}")
    @CsvSource({
        "AUTO,     4, 0,       false, POSTED",
        "AUTO,     4, 65535,   false, POSTED",
        "AUTO,     4, 65536,   false, PAIRWISE",
        "AUTO,     2, 16,      true,  POSTED",
        "AUTO,     3, 24,      true,  POSTED",
        "AUTO,     4, 32,      true,  BRUCK",
        "AUTO,     8, 8192,    true,  BRUCK",
        "AUTO,     8, 32768,   true,  BRUCK",
        "AUTO,     4, 16388,   true,  POSTED",
        "AUTO,     16, 65536,  true,  PAIRWISE",
        "BRUCK,    2, 9999999, true,  BRUCK",
        "BRUCK,    8, 64,      false, POSTED",
        "BRUCK,    8, 65536,   false, PAIRWISE",
        "POSTED,   8, 64,      true,  POSTED",
        "POSTED,   4, 9999999, false, POSTED",
        "PAIRWISE, 4, 1,       true,  PAIRWISE",
    })
    void alltoall(AlltoallAlgorithm forced, int ranks, long bytes, boolean equalBlocks, AlltoallAlgorithm expected) {
        assertEquals(expected, AlgorithmChoice.alltoall(DEFAULTS.withAlltoall(forced), ranks, bytes, equalBlocks));
    }

    @ParameterizedTest(name = "thresholds move the switch: ring from {0} KiB (2 ranks {1} KiB)")
    @CsvSource({"64, 128", "1024, 8192"})
    void thresholdsAreTuningFields(long ringKib, long twoRankKib) {
        Tuning t = DEFAULTS.withThresholds(Tuning.DEFAULT_BRUCK_MAX_BYTES, ringKib * KIB, twoRankKib * KIB,
                Tuning.DEFAULT_BCAST_LARGE_MIN_BYTES, Tuning.DEFAULT_ALLTOALL_PAIRWISE_MIN_BYTES);
        assertEquals(AllreduceAlgorithm.RECURSIVE_DOUBLING,
                AlgorithmChoice.allreduce(t, 6, ringKib * KIB - 1, true, true));
        assertEquals(AllreduceAlgorithm.RING, AlgorithmChoice.allreduce(t, 6, ringKib * KIB, true, true));
        assertEquals(AllreduceAlgorithm.RECURSIVE_DOUBLING,
                AlgorithmChoice.allreduce(t, 2, twoRankKib * KIB - 1, true, true));
        assertEquals(AllreduceAlgorithm.RING, AlgorithmChoice.allreduce(t, 2, twoRankKib * KIB, true, true));
    }
}
