package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.Communicator;
import io.jfmi.core.CommunicatorOptions;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.HealLinks;
import io.jfmi.core.LinkFault;
import io.jfmi.core.LinkKind;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.Tuning;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Direct links that fail mid-job (cut: the peer reads end of stream; frozen: nothing moves, as when a NAT drops
 * the flow) move to the relay of a real server, and every message arrives exactly once and in order. Four ranks as
 * threads; the fault is injected into rank 1's link to rank 2 at chosen byte offsets of its stream.
 */
class HealingLinksTest {
    private static final int RANKS = 4;
    /** Payload of each numbered message; on the wire each is one frame of header (28) plus payload. */
    private static final int MESSAGE = 1000;
    private static final int FRAME = 28 + MESSAGE;
    private static final int MESSAGES = 300;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static BiConsumer<Integer, CommunicatorOptions.Builder> healing(LinkFault faultOnRank1) {
        return healing(1, faultOnRank1);
    }

    private static BiConsumer<Integer, CommunicatorOptions.Builder> healing(int faultyRank, LinkFault fault) {
        return (rank, b) -> {
            b.healLinks(HealLinks.ALL).linkStallTimeout(Duration.ofMillis(300));
            if (rank == faultyRank) {
                b.linkFault(fault);
            }
        };
    }

    /**
     * Rank 1 streams numbered messages to rank 2 and the link fails after {@code cutAt} bytes: exactly between two
     * frames, inside a header, or inside a payload. Rank 2 must see 0..299 once each, in order; then the whole job
     * runs an allreduce over the healed pair.
     */
    @ParameterizedTest
    @ValueSource(longs = {100L * FRAME, 100L * FRAME + 10, 100L * FRAME + 28 + MESSAGE / 2})
    void aCutLinkDeliversEveryMessageOnceInOrder(long cutAt) throws Exception {
        List<Integer> healed = server.runEachOk("heal-cut-" + cutAt, RANKS, healing(LinkFault.cut(2, cutAt)),
                comm -> numberedStream(comm));
        assertEquals(1, healed.get(1), "rank 1 moved its link to rank 2");
        assertEquals(1, healed.get(2), "rank 2 moved its link to rank 1");
        assertEquals(0, healed.get(0));
        assertEquals(0, healed.get(3));
    }

    /**
     * Sealed links heal too: the cut falls inside an AES-GCM record, whose partial plaintext the receiver never
     * sees.
     */
    @Test
    void aSealedLinkCutInsideARecordHeals() throws Exception {
        List<Integer> healed = server.runEachOk("heal-sealed", RANKS, (rank, b) -> {
            healing(LinkFault.cut(2, 100L * FRAME + 500)).accept(rank, b);
            b.sealLinks(true);
        }, comm -> numberedStream(comm));
        assertEquals(1, healed.get(1));
        assertEquals(1, healed.get(2));
    }

    /** The same with a frozen link: only the server's stall verdict (both ends stuck, bytes owed) can heal it. */
    @Test
    void aFrozenLinkIsDeclaredStalledAndHealed() throws Exception {
        List<Integer> healed = server.runEachOk("heal-freeze", RANKS, healing(LinkFault.freeze(2, 50L * FRAME
                + 28 + 300)), comm -> numberedStream(comm));
        assertEquals(1, healed.get(1));
        assertEquals(1, healed.get(2));
    }

    /**
     * The receiver's side freezes (after writing its first acknowledgement, 256 frames in): the sender has written all
     * 1,000 messages into the socket and moved on to the allreduce, so only the receiver is stuck. The sender, told
     * of it through the server, sees bytes it wrote long ago unreceived and resends them over the relay.
     */
    @Test
    void bytesLostAfterTheSenderMovedOnAreResent() throws Exception {
        List<Integer> healed = server.runEachOk("heal-lost", RANKS, healing(2, LinkFault.freeze(1, 36)),
                comm -> numberedStream(comm, 1000));
        assertEquals(1, healed.get(1));
        assertEquals(1, healed.get(2));
    }

    /** Each healed pair is counted once on the server, under what failed first. */
    @Test
    void theServerCountsEachFailoverOnceByItsCause() throws Exception {
        String before = metrics();
        server.runEachOk("heal-metrics", RANKS, healing(LinkFault.cut(2, 20L * FRAME)), comm -> numberedStream(comm));
        String after = metrics();
        long added = failovers(after) - failovers(before);
        assertEquals(1, added, "one pair moved: " + after);
        assertTrue(after.contains("jfmi_link_failovers_total{reason=\"error\"}")
                || after.contains("jfmi_link_failovers_total{reason=\"eof\"}"), after);
    }

    private static String metrics() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + server.server.httpPort() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static long failovers(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("jfmi_link_failovers_total{"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static int numberedStream(Communicator comm) {
        return numberedStream(comm, MESSAGES);
    }

    private static int numberedStream(Communicator comm, int messages) {
        byte[] message = new byte[MESSAGE];
        if (comm.rank() == 1) {
            for (int i = 0; i < messages; i++) {
                fill(message, i);
                comm.send(2, 7, DataBuffer.of(message));
            }
        } else if (comm.rank() == 2) {
            for (int i = 0; i < messages; i++) {
                int n = comm.recv(1, 7, DataBuffer.of(message));
                assertEquals(MESSAGE, n);
                int got = message[0] & 0xFF | (message[1] & 0xFF) << 8;
                assertEquals(i, got, "message " + i + " arrived as number " + got + " (lost, repeated or reordered)");
                byte[] expected = new byte[MESSAGE];
                fill(expected, i);
                assertTrue(java.util.Arrays.equals(expected, message), "message " + i + " corrupted");
            }
        }
        long[] sum = {comm.rank() + 1};
        comm.allreduce(DataBuffer.of(sum), ReduceOp.SUM);
        assertEquals(RANKS * (RANKS + 1) / 2, sum[0]);
        if (comm.rank() == 1 || comm.rank() == 2) {
            assertEquals(LinkKind.RELAY, comm.linkKind(3 - comm.rank()), "pair 1-2 goes over the relay now");
        }
        return comm.healedLinks();
    }

    private static void fill(byte[] message, int number) {
        for (int j = 0; j < message.length; j++) {
            message[j] = (byte) (number * 31 + j);
        }
        message[0] = (byte) number;
        message[1] = (byte) (number >> 8);
    }

    /**
     * A 64 MiB allreduce with the link it streams on cut, then frozen, 20 MiB into it: the ring (rank 1 streams to
     * rank 2) and halving-doubling (rank 1 swaps half the vector with rank 0 first).
     */
    @ParameterizedTest
    @CsvSource({"CUT, RING, 2", "FREEZE, RING, 2", "CUT, HALVING_DOUBLING, 0", "FREEZE, HALVING_DOUBLING, 0"})
    void aLargeAllreduceCompletesAcrossTheFailure(String kind, Tuning.AllreduceAlgorithm algorithm, int peer)
            throws Exception {
        int count = 16 << 20; // ints: 64 MiB
        LinkFault fault = new LinkFault(peer, 20L << 20, LinkFault.Kind.valueOf(kind));
        BiConsumer<Integer, CommunicatorOptions.Builder> options = healing(fault).andThen((rank, b) -> b.tuning(
                Tuning.defaults().withAllreduce(algorithm)));
        List<Integer> healed = server.runEachOk("heal-64m-" + kind + "-" + algorithm, RANKS, options, comm -> {
            int[] data = new int[count];
            for (int i = 0; i < count; i++) {
                data[i] = i % 1000 + comm.rank();
            }
            comm.allreduce(DataBuffer.of(data), ReduceOp.SUM);
            for (int i = 0; i < count; i++) {
                int expected = 4 * (i % 1000) + 6;
                if (data[i] != expected) {
                    throw new AssertionError("element " + i + " is " + data[i] + ", expected " + expected);
                }
            }
            return comm.healedLinks();
        });
        assertEquals(1, healed.get(1));
        assertEquals(1, healed.get(peer));
    }

    /** With the server (and so the relay) gone, a failed link fails the call on both ends, naming the link. */
    @Test
    void withoutTheRelayBothEndsFailNamingTheLink() throws Exception {
        try (TestServer lonely = new TestServer()) {
            List<TestServer.Outcome<Integer>> out = lonely.runEach("heal-no-relay", 2, (rank, b) -> {
                b.healLinks(HealLinks.ALL).linkStallTimeout(Duration.ofMillis(300))
                        .operationTimeout(Duration.ofSeconds(4));
                if (rank == 0) {
                    b.linkFault(LinkFault.cut(1, 10L * FRAME));
                }
            }, comm -> {
                comm.barrier();
                if (comm.rank() == 0) {
                    lonely.server.close();
                }
                comm.barrier();
                byte[] message = new byte[MESSAGE];
                for (int i = 0; i < 20; i++) {
                    if (comm.rank() == 0) {
                        comm.send(1, 1, DataBuffer.of(message));
                    } else {
                        comm.recv(0, 1, DataBuffer.of(message));
                    }
                }
                comm.barrier();
                return 0;
            });
            for (int r = 0; r < 2; r++) {
                Throwable e = out.get(r).error();
                assertNotNull(e, "rank " + r + " must fail");
                String text = String.valueOf(e.getMessage());
                assertTrue(text.contains("link to rank " + (1 - r)), "rank " + r + " names the link: " + text);
            }
        }
    }
}
