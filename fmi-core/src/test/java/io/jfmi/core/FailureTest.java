package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dead, silent and confused peers become exceptions that name the op, job and ranks; nothing hangs. */
class FailureTest {

    @Test
    void silentPeerTimesOutWithRankAndOpInTheMessage() throws Exception {
        long start = System.nanoTime();
        List<ThreadedJob.Outcome<Integer>> out = ThreadedJob.runCollectingFailures(3,
                b -> b.operationTimeout(Duration.ofMillis(800)), comm -> {
                    if (comm.rank() == 2) {
                        Thread.sleep(3000); // never enters the barrier in time
                        return 0;
                    }
                    comm.barrier();
                    return 1;
                });
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        Throwable e0 = out.get(0).error();
        assertNotNull(e0, "rank 0 must fail");
        assertTrue(e0 instanceof FmiTimeoutException || e0 instanceof PeerFailureException, e0.toString());
        // At least one rank times out and names the op, the job and the rank it waited for.
        String timeouts = out.stream().map(ThreadedJob.Outcome::error)
                .filter(FmiTimeoutException.class::isInstance).map(Throwable::getMessage).findFirst().orElseThrow();
        assertTrue(timeouts.contains("barrier"), timeouts);
        assertTrue(timeouts.contains("test-job"), timeouts);
        assertTrue(timeouts.contains("rank 2"), timeouts);
        assertTrue(elapsedMs < 10_000, "took " + elapsedMs + " ms");
    }

    /**
     * Rank 2 waits on rank 0, which waits on rank 1, which is stuck: ranks 0 and 2 time out within a millisecond of
     * each other, in either order. Both must name rank 1, not only the rank each was waiting on.
     */
    @Test
    void ranksWaitingInAChainNameTheRankThatHoldsItUp() throws Exception {
        for (int trial = 0; trial < 3; trial++) {
            List<ThreadedJob.Outcome<Integer>> out = ThreadedJob.runCollectingFailures(3,
                    b -> b.operationTimeout(Duration.ofMillis(600)), comm -> {
                        comm.barrier();
                        DataBuffer word = DataBuffer.of(new long[1]);
                        if (comm.rank() == 1) {
                            Thread.sleep(2000); // stuck: never sends
                        } else if (comm.rank() == 0) {
                            comm.send(2, 7, word);
                            comm.recv(1, 7, word);
                            comm.send(2, 7, word);
                        } else {
                            comm.recv(0, 7, word);
                            comm.recv(0, 7, word);
                        }
                        return comm.rank();
                    });
            for (int r : new int[] {0, 2}) {
                Throwable e = out.get(r).error();
                assertNotNull(e, "rank " + r + " must fail");
                assertTrue(e.getMessage().contains("from rank 1"), "trial " + trial + ", rank " + r + ": " + e);
            }
        }
    }

    @Test
    void peerThatLeavesMidCollectiveFailsTheOthersFast() throws Exception {
        List<ThreadedJob.Outcome<Integer>> out = ThreadedJob.runCollectingFailures(4,
                b -> b.operationTimeout(Duration.ofSeconds(20)), comm -> {
                    comm.barrier();
                    if (comm.rank() == 3) {
                        comm.close(); // vanishes: its links close under the others
                        return 3;
                    }
                    long t0 = System.nanoTime();
                    try {
                        for (int i = 0; i < 100; i++) {
                            comm.allgather(DataBuffer.of(new int[] {i}), DataBuffer.of(new int[comm.size()]));
                        }
                    } finally {
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        assertTrue(ms < 5_000, "failure took " + ms + " ms to surface");
                    }
                    return 1;
                });
        assertNull(out.get(3).error());
        for (int r = 0; r < 3; r++) {
            Throwable e = out.get(r).error();
            assertInstanceOf(PeerFailureException.class, e, "rank " + r + ": " + e);
        }
    }

    @Test
    void mismatchedCollectivesAreNamed() throws Exception {
        List<ThreadedJob.Outcome<Integer>> out = ThreadedJob.runCollectingFailures(2,
                b -> b.operationTimeout(Duration.ofSeconds(5)), comm -> {
                    if (comm.rank() == 0) {
                        comm.barrier();
                    } else {
                        comm.allgather(DataBuffer.of(new long[] {1}), DataBuffer.of(new long[2]));
                    }
                    return 1;
                });
        String message = out.stream().map(ThreadedJob.Outcome::error)
                .filter(CollectiveMismatchException.class::isInstance).map(Throwable::getMessage).findFirst()
                .orElseThrow(() -> new AssertionError("no mismatch error: " + out));
        assertTrue(message.contains("barrier") && message.contains("allgather"), message);
    }

    @Test
    void mismatchedSizesAreNamed() throws Exception {
        List<ThreadedJob.Outcome<Integer>> out = ThreadedJob.runCollectingFailures(2,
                b -> b.operationTimeout(Duration.ofSeconds(5)), comm -> {
                    int count = comm.rank() == 0 ? 4 : 5;
                    comm.allgather(DataBuffer.of(new int[count]), DataBuffer.of(new int[count * 2]));
                    return 1;
                });
        String message = out.stream().map(ThreadedJob.Outcome::error)
                .filter(CollectiveMismatchException.class::isInstance).map(Throwable::getMessage).findFirst()
                .orElseThrow(() -> new AssertionError("no mismatch error: " + out));
        assertTrue(message.contains("16") && message.contains("20"), message);
    }

    @Test
    void brokenCommunicatorKeepsFailingWithTheSameError() throws Exception {
        List<ThreadedJob.Outcome<String>> out = ThreadedJob.runCollectingFailures(2,
                b -> b.operationTimeout(Duration.ofMillis(300)), comm -> {
                    if (comm.rank() == 1) {
                        Thread.sleep(1500);
                        return "slept";
                    }
                    FmiException first = assertThrows(FmiException.class, comm::barrier);
                    FmiException second = assertThrows(FmiException.class, comm::barrier);
                    assertEquals(first, second);
                    return "ok";
                });
        assertEquals("ok", out.get(0).value(), String.valueOf(out.get(0).error()));
    }

    @Test
    void badOptionsAreRejectedWithTheOptionName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommunicatorOptions.builder().jobId("j").rank(4).worldSize(4).build());
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CommunicatorOptions.builder().jobId("bad job id!").rank(0).worldSize(1).build());
        assertTrue(e.getMessage().contains("jobId"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CommunicatorOptions.builder().jobId("j").rank(0).worldSize(1).rendezvous("host:port").build());
        assertTrue(e.getMessage().contains("port"), e.getMessage());
    }
}
