package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large payloads are read straight into the caller's buffer, all of them: refills in a call that receives them stop
 * at the next header, so only headers pass through a link's buffer (see FrameReader.startCall). Before, a whole
 * 64 KiB buffer was read at each header and the first 64 KiB of every message copied again.
 */
class LargeReadsTest {
    private static final int LONGS = 128 * 1024; // 1 MiB a rank
    private static final int CALLS = 40;
    /** Headers only: 64 bytes each with their padding, a frame or two a message. */
    private static final long BOUND_PER_MESSAGE = 1024;

    @Test
    void aRingAllgatherOfOneMibBlocksBuffersOnlyHeaders() throws Exception {
        long[] buffered = allgathers(4, SecondConnectionMode.OFF);
        assertTrue(buffered[0] <= 3L * CALLS * BOUND_PER_MESSAGE, "4 ranks, one connection: " + buffered[0]
                + " of " + buffered[1] + " bytes received went through a link's buffer in " + CALLS + " calls");
    }

    @Test
    void anExchangeOnTheSecondConnectionBuffersOnlyHeaders() throws Exception {
        long[] buffered = allgathers(2, SecondConnectionMode.ON);
        assertTrue(buffered[0] <= CALLS * BOUND_PER_MESSAGE, "2 ranks, second connection: " + buffered[0] + " of "
                + buffered[1] + " bytes received went through a link's buffer in " + CALLS + " calls");
    }

    /** Returns rank 0's bytes buffered and bytes received over the timed calls. */
    private static long[] allgathers(int ranks, SecondConnectionMode second) throws Exception {
        List<long[]> results = ThreadedJob.run(ranks, b -> b.secondConnection(second), comm -> {
            long[] mine = new long[LONGS];
            long[] all = new long[LONGS * ranks];
            DataBuffer send = DataBuffer.of(mine);
            DataBuffer recv = DataBuffer.of(all);
            long wrong = 0;
            comm.barrier();
            long buffered0 = comm.bytesBuffered();
            long received0 = comm.bytesReceived();
            for (int i = 0; i < CALLS; i++) {
                Arrays.fill(mine, comm.rank() * 1_000_000L + i);
                comm.allgather(send, recv);
                for (int r = 0; r < ranks; r++) {
                    long expected = r * 1_000_000L + i;
                    wrong += all[r * LONGS] != expected || all[(r + 1) * LONGS - 1] != expected ? 1 : 0;
                }
            }
            return new long[] {comm.bytesBuffered() - buffered0, comm.bytesReceived() - received0, wrong};
        });
        long[] root = results.get(0);
        assertEquals(0, root[2], "allgathers with a wrong block on rank 0");
        assertTrue(root[1] >= (long) CALLS * (ranks - 1) * LONGS * Long.BYTES, "rank 0 received only " + root[1]);
        return root;
    }
}
