package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Healing links keep a copy of what they send until the peer acknowledges it; those copies must stay bounded even
 * when a link only ever sends (a ring allreduce: rank r writes to r+1 and never reads from it).
 */
class HealingCopiesTest {
    @Test
    void copiesStayBoundedOverManyLargeRingAllreduces() throws Exception {
        int rounds = 100;
        List<Long> retained = ThreadedJob.run(4, b -> b.healLinks(HealLinks.ALL)
                .tuning(Tuning.defaults().withAllreduce(Tuning.AllreduceAlgorithm.RING)), comm -> {
            long[] data = new long[128 * 1024]; // 1 MiB
            long most = 0;
            for (int round = 0; round < rounds; round++) {
                java.util.Arrays.fill(data, round + comm.rank());
                comm.allreduce(DataBuffer.of(data), ReduceOp.SUM);
                assertEquals(4L * round + 6, data[data.length - 1]);
                most = Math.max(most, comm.healingBytesRetained());
            }
            return most;
        });
        for (int r = 0; r < 4; r++) {
            // 100 rounds send ~150 MiB per rank; without acknowledgements read on send-only links all of it stays
            assertTrue(retained.get(r) < (16 << 20), "rank " + r + " kept " + retained.get(r) + " bytes");
        }
    }
}
