package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.protocol.FrameHeader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a root that receives from many links refills their buffers when its leaves ran far ahead and every socket
 * holds many messages (see FrameReader.startCall): messages of 1 KiB are read about as each call takes them, so the
 * links' buffers do not all refill in one call; messages of 8 bytes are read a whole buffer at a time, so that
 * calls that read at all are rare.
 */
class ReadAheadTest {
    private static final int RANKS = 8;
    private static final int LINKS = RANKS - 1;

    @Test
    void aRootOfLinearReducesOfOneKibReadsLittleInEveryCall() throws Exception {
        int longs = 128;
        RootReads root = linearReducesAfterTheLeavesRanAhead(longs, 400);
        int frame = FrameHeader.SIZE + longs * Long.BYTES;
        // One link's share of read-ahead, and every link the rest of its frame and the next header.
        long bound = 64 * 1024 / LINKS + (long) LINKS * (frame + FrameHeader.PADDED_START);
        assertTrue(root.mostInOneCall <= bound, "the root read " + root.mostInOneCall + " bytes in one reduce, more "
                + "than " + bound + " (its links' buffers refilled together)");
        assertTrue(root.mostInOneCall >= (long) LINKS * longs * Long.BYTES, "the root read only "
                + root.mostInOneCall + " bytes in its largest call, less than one contribution per leaf");
    }

    @Test
    void aRootOfLinearReducesOfEightBytesReadsInFewCalls() throws Exception {
        int calls = 3000;
        RootReads root = linearReducesAfterTheLeavesRanAhead(1, calls);
        // A 64 KiB buffer holds 1,820 such frames: whole-buffer refills come a few times in 3,000 calls (2 here).
        // Refills bounded to a few frames, as 1 KiB messages have, read in 1,493 of the 3,000.
        assertTrue(root.callsThatRead <= calls / 100, root.callsThatRead + " of " + calls + " reduces read from the "
                + "root's sockets (a few frames per read)");
        assertTrue(root.mostInOneCall >= (long) LINKS * 32 * 1024, "the root read only " + root.mostInOneCall
                + " bytes in its largest call: not whole buffers");
    }

    private record RootReads(long mostInOneCall, long callsThatRead) {
    }

    /** 8 ranks as threads over real sockets; the root sleeps while its leaves queue {@code calls} reduces. */
    private static RootReads linearReducesAfterTheLeavesRanAhead(int longs, int calls) throws Exception {
        List<long[]> results = ThreadedJob.run(RANKS,
                b -> b.tuning(Tuning.defaults().withReduce(Tuning.ReduceAlgorithm.LINEAR)), comm -> {
                    long[] mine = new long[longs];
                    long[] sums = new long[longs];
                    DataBuffer send = DataBuffer.of(mine);
                    DataBuffer recv = DataBuffer.of(sums);
                    comm.barrier();
                    if (comm.rank() == 0) {
                        Thread.sleep(300); // the leaves' reduces (one send each) queue up in the root's sockets
                    }
                    long mostInOneCall = 0;
                    long callsThatRead = 0;
                    long sumErrors = 0;
                    for (int i = 0; i < calls; i++) {
                        Arrays.fill(mine, comm.rank() * 1000L + i);
                        long before = comm.bytesReceived();
                        comm.reduce(send, recv, ReduceOp.SUM, 0);
                        long read = comm.bytesReceived() - before;
                        mostInOneCall = Math.max(mostInOneCall, read);
                        callsThatRead += read > 0 ? 1 : 0;
                        long expected = 1000L * RANKS * (RANKS - 1) / 2 + (long) RANKS * i;
                        if (comm.rank() == 0 && (sums[0] != expected || sums[longs - 1] != expected)) {
                            sumErrors++;
                        }
                    }
                    return new long[] {mostInOneCall, callsThatRead, sumErrors};
                });
        long[] root = results.get(0);
        assertEquals(0, root[2], "reduces with a wrong sum on the root");
        return new RootReads(root[0], root[1]);
    }
}
