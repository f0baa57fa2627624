package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Loopback links with a second connection for the dialer's large messages (the default while every rank has a core)
 * and with one connection, plain and sealed, carry large messages both ways at once, and large and small messages
 * mixed on one tag in the order they were sent; each rank reports the layout it got.
 */
class LinkLayoutTest {

    @Test
    void aSecondConnectionIsTheDefaultAndOneConnectionIsKeptWhenAsked() throws Exception {
        for (boolean two : new boolean[] {true, false}) {
            for (boolean sealed : new boolean[] {false, true}) {
                String layout = (two ? "two connections" : "one connection") + (sealed ? ", sealed" : "");
                List<String> outcomes = ThreadedJob.run(2, b -> b.secondConnection(two ? SecondConnectionMode.ON
                        : SecondConnectionMode.OFF).sealLinks(sealed),
                        comm -> exchangeBothWays(comm, two ? 2 : 1, layout));
                assertEquals(List.of("ok", "ok"), outcomes, layout);
            }
        }
    }

    @Test
    void localLinksSwitchTheirSendBufferWithTheMessageSizeUnlessOneIsSet() throws Exception {
        // One connection, so that rank 0's large message goes on the socket whose buffer is read back.
        List<List<Integer>> byDefault = ThreadedJob.run(2, b -> b.secondConnection(SecondConnectionMode.OFF),
                LinkLayoutTest::sendBufferAfterSmallLargeSmall);
        List<List<Integer>> set = ThreadedJob.run(2, b -> b.secondConnection(SecondConnectionMode.OFF)
                .sendBufferBytes(200_000), LinkLayoutTest::sendBufferAfterSmallLargeSmall);
        int small = granted(CommunicatorOptions.LOOPBACK_SMALL_MESSAGE_SEND_BUFFER_BYTES);
        int large = granted(CommunicatorOptions.LOOPBACK_LARGE_MESSAGE_SEND_BUFFER_BYTES);
        assertEquals(List.of(small, large, small), byDefault.get(0), "rank 0 wrote small, large, small");
        assertEquals(List.of(small, small, small), byDefault.get(1), "rank 1 wrote nothing after setup");
        for (int r = 0; r < 2; r++) {
            assertEquals(List.of(granted(200_000), granted(200_000), granted(200_000)), set.get(r),
                    "200,000 set, rank " + r);
        }
        assertEquals(0, ThreadedJob.run(1, comm -> comm.linkSendBufferBytes(0)).get(0), "no link to itself");
    }

    /** Rank 0's send buffer to rank 1 after setup, after a 64 KiB message and after an 8-byte one; rank 1's alike. */
    private static List<Integer> sendBufferAfterSmallLargeSmall(Communicator comm) {
        int peer = 1 - comm.rank();
        byte[] large = new byte[SendBufferSizes.LARGE_MESSAGE_BYTES];
        byte[] small = new byte[8];
        int afterSetup = comm.linkSendBufferBytes(peer);
        if (comm.rank() == 0) {
            comm.send(1, 1, DataBuffer.of(large));
        } else {
            comm.recv(0, 1, DataBuffer.of(large));
        }
        int afterLarge = comm.linkSendBufferBytes(peer);
        if (comm.rank() == 0) {
            comm.send(1, 2, DataBuffer.of(small));
        } else {
            comm.recv(0, 2, DataBuffer.of(small));
        }
        return List.of(afterSetup, afterLarge, comm.linkSendBufferBytes(peer));
    }

    /**
     * What Java reports on Linux for an SO_SNDBUF of {@code bytes}: at most {@code net.core.wmem_max} (the kernel
     * doubles it for its bookkeeping and Java halves it back).
     */
    private static int granted(int bytes) throws IOException {
        Path max = Path.of("/proc/sys/net/core/wmem_max");
        Assumptions.assumeTrue(Files.isReadable(max), "reads Linux's net.core.wmem_max");
        // readString would trust the size procfs reports for the file, and read one byte.
        return Math.min(bytes, Integer.parseInt(Files.readAllLines(max).get(0).trim()));
    }

    @Test
    void theSendBufferIsValidatedAndOnlyLocalLinksSwitchItAutomatically() {
        CommunicatorOptions.Builder b = CommunicatorOptions.builder().jobId("j").rank(0).worldSize(2)
                .secret(new byte[16]);
        CommunicatorOptions auto = b.build();
        SendBufferSizes local = auto.sendBuffersFor(LinkKind.LOCAL);
        assertEquals(new SendBufferSizes(CommunicatorOptions.LOOPBACK_SMALL_MESSAGE_SEND_BUFFER_BYTES,
                CommunicatorOptions.LOOPBACK_LARGE_MESSAGE_SEND_BUFFER_BYTES), local);
        assertTrue(local.switches());
        assertEquals(local.smallMessages(), local.forMessage(SendBufferSizes.LARGE_MESSAGE_BYTES - 1));
        assertEquals(local.largeMessages(), local.forMessage(SendBufferSizes.LARGE_MESSAGE_BYTES));
        assertEquals(SendBufferSizes.fixed(0), auto.sendBuffersFor(LinkKind.LAN));
        assertEquals(SendBufferSizes.fixed(0), auto.sendBuffersFor(LinkKind.PUNCHED));
        assertEquals(SendBufferSizes.fixed(65536), b.sendBufferBytes(65536).build().sendBuffersFor(LinkKind.PUNCHED));
        assertEquals(SendBufferSizes.fixed(0), b.sendBufferBytes(0).build().sendBuffersFor(LinkKind.LOCAL));
        for (int bad : new int[] {-2, CommunicatorOptions.MAX_SEND_BUFFER_BYTES + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.sendBufferBytes(bad).build());
            assertTrue(e.getMessage().contains("sendBufferBytes") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SendBufferSizes(0, 65536));
        assertTrue(e.getMessage().contains("two sizes above 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SendBufferSizes.fixed(-1));
    }

    @Test
    void moreRanksThanCoresKeepOneConnection() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Assumptions.assumeTrue(cores <= 4, "needs a machine where cores + 1 ranks in one JVM stay cheap");
        int n = cores + 1;
        List<String> outcomes = ThreadedJob.run(n, comm -> exchangeBothWays(comm, 1, n + " ranks on " + cores
                + " cores"));
        assertEquals(java.util.Collections.nCopies(n, "ok"), outcomes);
    }

    @Test
    void aLinkCutInsideALargeMessageOnTheSecondConnectionFailsBothRanksNamingThePeer() throws Exception {
        // Rank 1 dials rank 0, so its 8 MiB message goes on the second connection; its link (both connections)
        // is cut after 3 MiB, inside the message.
        List<ThreadedJob.Outcome<String>> out = ThreadedJob.runCollectingFailures(2, b -> b
                .operationTimeout(Duration.ofSeconds(20))
                .linkFault(b.build().rank() == 1 ? LinkFault.cut(0, 3 << 20) : null), comm -> {
                    assertEquals(2, comm.linkConnections(1 - comm.rank()));
                    byte[] message = new byte[8 << 20];
                    long t0 = System.nanoTime();
                    try {
                        if (comm.rank() == 1) {
                            comm.send(0, 3, DataBuffer.of(message));
                        } else {
                            comm.recv(1, 3, DataBuffer.of(message));
                        }
                    } finally {
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        assertTrue(ms < 10_000, "rank " + comm.rank() + " took " + ms + " ms to fail");
                    }
                    return "finished";
                });
        for (int r = 0; r < 2; r++) {
            Throwable e = out.get(r).error();
            assertInstanceOf(FmiException.class, e, "rank " + r + ": " + e);
        }
        String seenByRank0 = out.get(0).error().getMessage();
        assertTrue(seenByRank0.contains("rank 1"), seenByRank0);
    }

    @Test
    void healingLinksKeepOneConnection() throws Exception {
        List<String> outcomes = ThreadedJob.run(2, b -> b.healLinks(HealLinks.ALL), comm -> {
            assertEquals(1, comm.linkConnections(1 - comm.rank()), "a healing link resends one stream");
            return "ok";
        });
        assertEquals(List.of("ok", "ok"), outcomes);
    }

    private static String exchangeBothWays(Communicator comm, int connections, String layout) {
        int n = comm.size();
        for (int p = 0; p < n; p++) {
            assertEquals(p == comm.rank() ? 0 : connections, comm.linkConnections(p), layout + ", link to " + p);
        }
        int block = (3 << 20) + 5; // several frames each way, sent while the same pair sends the other way
        byte[] out = new byte[block * n];
        for (int p = 0; p < n; p++) {
            fill(out, p * block, block, comm.rank() * 31L + p);
        }
        byte[] in = new byte[block * n];
        comm.alltoall(DataBuffer.of(out), DataBuffer.of(in));
        for (int p = 0; p < n; p++) {
            byte[] expected = new byte[block];
            fill(expected, 0, block, p * 31L + comm.rank());
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(in, p * block, (p + 1) * block),
                    layout + ", block from rank " + p);
        }
        // Large (two frames) and small messages on one tag, sent to the next rank before receiving any: each
        // must arrive in the order sent, whichever connection carried it.
        int next = (comm.rank() + 1) % n;
        int previous = (comm.rank() + n - 1) % n;
        int[] sizes = {8, (1 << 20) + 3, 8, 70_000, 0, (1 << 20) + 3, 8};
        for (int i = 0; i < sizes.length; i++) {
            byte[] message = new byte[sizes[i]];
            fill(message, 0, message.length, comm.rank() * 1000L + i);
            comm.send(next, 7, DataBuffer.of(message));
        }
        for (int i = 0; i < sizes.length; i++) {
            byte[] got = new byte[sizes[i]];
            comm.recv(previous, 7, DataBuffer.of(got));
            byte[] expected = new byte[sizes[i]];
            fill(expected, 0, expected.length, previous * 1000L + i);
            assertArrayEquals(expected, got, layout + ", message " + i + " from rank " + previous);
        }
        return "ok";
    }

    private static void fill(byte[] a, int from, int length, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < length; i++) {
            a[from + i] = (byte) r.nextInt();
        }
    }
}
