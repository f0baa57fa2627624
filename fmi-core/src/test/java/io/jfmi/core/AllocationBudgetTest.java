package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data path's promise: once warm, collectives allocate (almost) nothing on the calling thread, also when
 * messages arrive before their receives are posted. Heap bytes are counted per rank thread with the JVM's
 * per-thread allocation counter.
 */
class AllocationBudgetTest {
    /** Per collective call, averaged: far below one early 64 KiB message, so a per-message buffer fails it. */
    private static final long BUDGET_BYTES_PER_CALL = 2048;
    /** Room for a rare allocation outside the data path (the measured figure is 1 byte a call). */
    private static final long SMALL_REDUCE_BUDGET_BYTES_PER_CALL = 16;
    private static final int WARM_UP = 300;
    private static final int MEASURED = 300;

    @Test
    void aSteadyStateOfMixedCollectivesStaysWithinTheBudget() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        int n = 4;
        List<long[]> results = ThreadedJob.run(n, comm -> {
            double[] vector = new double[8 * 1024]; // 64 KiB: above the pairwise and the ring thresholds' edges
            double[] sums = new double[vector.length];
            long[] one = new long[1];
            long[] gathered = new long[n];
            int[] ints = new int[4 * 1024];
            int[] shuffled = new int[ints.length];
            DataBuffer vectorBuffer = DataBuffer.of(vector);
            DataBuffer sumBuffer = DataBuffer.of(sums);
            DataBuffer oneBuffer = DataBuffer.of(one);
            DataBuffer gatherBuffer = DataBuffer.of(gathered);
            DataBuffer intBuffer = DataBuffer.of(ints);
            DataBuffer shuffledBuffer = DataBuffer.of(shuffled);
            long before = 0;
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                if (i == WARM_UP) {
                    before = threads.getCurrentThreadAllocatedBytes();
                }
                if (comm.rank() == i % n) {
                    Thread.onSpinWait(); // a different rank is last each round, so others' messages arrive early
                    spinMicros(200);
                }
                vector[0] = i;
                comm.allreduce(vectorBuffer, sumBuffer, ReduceOp.SUM);
                one[0] = comm.rank() + i;
                comm.allgather(oneBuffer, gatherBuffer);
                comm.bcast(vectorBuffer, i % n);
                comm.alltoall(intBuffer, shuffledBuffer);
                comm.barrier();
                // Two messages to the right neighbour, received in the opposite order: the first one always
                // arrives while the receive for the second is posted, so it is held as an early message.
                int right = (comm.rank() + 1) % n;
                int left = (comm.rank() + n - 1) % n;
                comm.send(right, 1, vectorBuffer);
                comm.send(right, 2, intBuffer);
                comm.recv(left, 2, shuffledBuffer);
                comm.recv(left, 1, sumBuffer);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            return new long[] {allocated, (long) sums[0], gathered[n - 1]};
        });
        long calls = 9L * MEASURED;
        for (int r = 0; r < n; r++) {
            long[] rank = results.get(r);
            assertEquals(n - 1 + WARM_UP + MEASURED - 1, rank[2], "allgather result on rank " + r);
            assertTrue(rank[0] / calls <= BUDGET_BYTES_PER_CALL, "rank " + r + " allocated " + rank[0] + " bytes in "
                    + calls + " warm collective calls (" + rank[0] / calls + " per call; budget "
                    + BUDGET_BYTES_PER_CALL + ")");
        }
    }

    /**
     * A 1 KiB reduce over four ranks is linear: the root folds three contributions per call. Folding once made
     * typed views and slices, and staging a typed array made three more objects per call (1,152 bytes a call on
     * this test's root, ten times the leaves' young collections at eight ranks); now no rank allocates in a warm
     * call.
     */
    @Test
    void warmSmallReducesAllocateNothingOnAnyRank() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        int n = 4;
        int calls = 2000;
        List<long[]> results = ThreadedJob.run(n, comm -> {
            double[] vector = new double[128];
            double[] sums = new double[vector.length];
            long[] counts = new long[16];
            long[] maxima = new long[counts.length];
            DataBuffer vectorBuffer = DataBuffer.of(vector);
            DataBuffer sumBuffer = DataBuffer.of(sums);
            DataBuffer countBuffer = DataBuffer.of(counts);
            DataBuffer maxBuffer = DataBuffer.of(maxima);
            long before = 0;
            for (int i = 0; i < WARM_UP + calls; i++) {
                if (i == WARM_UP) {
                    before = threads.getCurrentThreadAllocatedBytes();
                }
                Arrays.fill(vector, comm.rank() + i);
                Arrays.fill(counts, comm.rank() * (long) i);
                comm.reduce(vectorBuffer, sumBuffer, ReduceOp.SUM, 0);
                comm.reduce(countBuffer, maxBuffer, ReduceOp.MAX, 0);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            return new long[] {allocated, (long) sums[127], maxima[15]};
        });
        long last = WARM_UP + calls - 1;
        assertEquals(n * last + n * (n - 1) / 2, results.get(0)[1], "double sum on the root");
        assertEquals((n - 1) * last, results.get(0)[2], "long max on the root");
        for (int r = 0; r < n; r++) {
            long allocated = results.get(r)[0];
            assertTrue(allocated / (2L * calls) <= SMALL_REDUCE_BUDGET_BYTES_PER_CALL, "rank " + r + " allocated "
                    + allocated + " bytes in " + 2 * calls + " warm small reduces (budget "
                    + SMALL_REDUCE_BUDGET_BYTES_PER_CALL + " per call)");
        }
    }

    private static void spinMicros(long micros) {
        long until = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
