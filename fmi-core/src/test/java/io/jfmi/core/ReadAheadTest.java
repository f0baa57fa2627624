package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.protocol.FrameHeader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A root that receives from many links reads about what each call takes, also when its leaves ran far ahead and
 * every socket holds many messages: the links' buffers do not all refill in one call (see FrameReader.startCall).
 */
class ReadAheadTest {
    private static final int RANKS = 8;
    private static final int LONGS = 128; // 1 KiB a contribution
    private static final int CALLS = 400;

    @Test
    void aLinearReduceRootWhoseLeavesRanAheadReadsLittleInEveryCall() throws Exception {
        List<long[]> results = ThreadedJob.run(RANKS,
                b -> b.tuning(Tuning.defaults().withReduce(Tuning.ReduceAlgorithm.LINEAR)), comm -> {
                    long[] mine = new long[LONGS];
                    long[] sums = new long[LONGS];
                    DataBuffer send = DataBuffer.of(mine);
                    DataBuffer recv = DataBuffer.of(sums);
                    comm.barrier();
                    if (comm.rank() == 0) {
                        Thread.sleep(300); // the leaves' reduces (one send each) queue up in the root's sockets
                    }
                    long mostInOneCall = 0;
                    long sumErrors = 0;
                    for (int i = 0; i < CALLS; i++) {
                        Arrays.fill(mine, comm.rank() * 1000L + i);
                        long before = comm.bytesReceived();
                        comm.reduce(send, recv, ReduceOp.SUM, 0);
                        mostInOneCall = Math.max(mostInOneCall, comm.bytesReceived() - before);
                        long expected = 1000L * RANKS * (RANKS - 1) / 2 + (long) RANKS * i;
                        if (comm.rank() == 0 && (sums[0] != expected || sums[LONGS - 1] != expected)) {
                            sumErrors++;
                        }
                    }
                    return new long[] {mostInOneCall, sumErrors};
                });
        assertEquals(0, results.get(0)[1], "reduces with a wrong sum on the root");
        int links = RANKS - 1;
        int frame = FrameHeader.SIZE + LONGS * Long.BYTES;
        // One link's share of read-ahead, and every link the rest of its frame and the next header.
        long bound = 64 * 1024 / links + (long) links * (frame + FrameHeader.PADDED_START);
        long most = results.get(0)[0];
        assertTrue(most <= bound, "the root read " + most + " bytes in one reduce, more than " + bound
                + " (its links' buffers refilled together)");
        assertTrue(most >= (long) links * LONGS * Long.BYTES, "the root read only " + most + " bytes in its"
                + " largest call, less than one contribution per leaf");
    }
}
