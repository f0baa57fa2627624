package io.jfmi.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.util.Deadline;
import io.jfmi.protocol.JobAuth;
import io.jfmi.protocol.proto.Endpoint;
import io.jfmi.protocol.proto.EndpointKind;
import io.jfmi.protocol.proto.PeerInfo;
import io.jfmi.protocol.proto.PeerTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A rank's data port during setup, attacked with real sockets: garbage, silence, a rank of another job, a replayed
 * hello and a second link for a rank that has one are all refused and counted, and the genuine dialer still gets in.
 */
class LinkAuthenticationTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void everyImpostorIsRefusedAndCountedAndTheRealPeerGetsIn() throws Exception {
        byte[] key = randomBytes(32);
        try (DirectLinks rank0 = new DirectLinks(0, "job-a", "127.0.0.1");
                DirectLinks rank1 = new DirectLinks(1, "job-a", "127.0.0.1")) {
            rank0.startAccepting(Set.of(1, 2), key, 500); // rank 2 never comes: the accept loop stays open
            InetSocketAddress port = new InetSocketAddress("127.0.0.1", rank0.port());

            try (SocketChannel garbage = connect(port)) {
                LinkHello.readChallenge(garbage);
                garbage.write(ByteBuffer.wrap(randomBytes(LinkHello.SIZE)));
                assertClosed(garbage, "garbage");
            }
            try (SocketChannel silent = connect(port)) {
                LinkHello.readChallenge(silent);
                assertClosed(silent, "a connection that never says hello");
            }
            try (SocketChannel otherJob = connect(port)) {
                byte[] nonce = LinkHello.readChallenge(otherJob);
                new LinkHello(1, 0, JobAuth.linkMac(randomBytes(32), 1, 0, nonce)).writeTo(otherJob);
                assertClosed(otherJob, "a rank of another job (another session key)");
            }
            // A hello recorded on one connection (valid for that connection's nonce) replayed on another
            LinkHello recorded;
            try (SocketChannel first = connect(port)) {
                byte[] nonce = LinkHello.readChallenge(first);
                recorded = new LinkHello(1, 0, JobAuth.linkMac(key, 1, 0, nonce));
            } // closed before sending: a failed handshake
            try (SocketChannel replay = connect(port)) {
                LinkHello.readChallenge(replay);
                recorded.writeTo(replay);
                assertClosed(replay, "a replayed hello");
            }

            rank1.startAccepting(Set.of(), key, 500);
            Map<Integer, DirectLinks.Established> dialed = rank1.dial(List.of(0), table(rank0.port()), "host",
                    2000, Deadline.after(Duration.ofSeconds(5)), 1);
            assertEquals(Set.of(0), dialed.keySet(), "the genuine rank 1 links up");
            Map<Integer, DirectLinks.Established> accepted = rank0.awaitAccepted(Set.of(1),
                    Deadline.after(Duration.ofSeconds(5)));
            assertEquals(Set.of(1), accepted.keySet());

            try (SocketChannel second = connect(port)) {
                byte[] nonce = LinkHello.readChallenge(second);
                new LinkHello(1, 0, JobAuth.linkMac(key, 1, 0, nonce)).writeTo(second);
                assertClosed(second, "a second link for rank 1, even correctly signed");
            }
            assertEquals(6, rank0.refused(), "garbage, silence, other job, abandoned handshake, replay, duplicate");
            assertTrue(accepted.get(1).channel().isOpen(), "the genuine link survives the duplicate attempt");
            dialed.get(0).channel().close();
        }
    }

    @Test
    void aPairWithTwoConnectionsSetsUpBothAndRefusesAnOrphanSecond() throws Exception {
        byte[] key = randomBytes(32);
        try (DirectLinks rank0 = new DirectLinks(0, "job-b", "127.0.0.1");
                DirectLinks rank1 = new DirectLinks(1, "job-b", "127.0.0.1")) {
            rank0.startAccepting(Set.of(1, 2), key, 500);
            InetSocketAddress port = new InetSocketAddress("127.0.0.1", rank0.port());
            try (SocketChannel orphan = connect(port)) {
                byte[] nonce = LinkHello.readChallenge(orphan);
                new LinkHello(2, 0, LinkHello.SECOND_OF_TWO, JobAuth.linkMac(key, 2, 0, nonce)).writeTo(orphan);
                assertClosed(orphan, "a second connection whose first never came, even correctly signed");
            }

            rank1.startAccepting(Set.of(), key, 500);
            DirectLinks.Established dialed = rank1.dial(List.of(0), table(rank0.port()), "host", 2000,
                    Deadline.after(Duration.ofSeconds(5)), 1, kind -> true).get(0);
            DirectLinks.Established accepted = rank0.awaitAccepted(Set.of(1), Deadline.after(Duration.ofSeconds(5)))
                    .get(1);
            assertTrue(dialed.second().dialer() && !accepted.second().dialer(), "the dialer writes the second");
            assertEquals(dialed.channel().getLocalAddress(), accepted.channel().getRemoteAddress(), "first");
            assertEquals(dialed.second().channel().getLocalAddress(), accepted.second().channel().getRemoteAddress(),
                    "second");
            assertTrue(java.util.Arrays.equals(dialed.nonce(), accepted.nonce()));
            assertTrue(java.util.Arrays.equals(dialed.second().nonce(), accepted.second().nonce()));
            assertFalse(java.util.Arrays.equals(dialed.nonce(), dialed.second().nonce()), "a nonce each");
            dialed.second().channel().write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer got = ByteBuffer.allocate(1);
            LinkHello.readFully(accepted.second().channel(), got);
            assertEquals(42, got.get(0));
            assertEquals(1, rank0.refused(), "only the orphan");
            dialed.close();
            accepted.close();
        }
    }

    private static PeerTable table(int port0) {
        Endpoint loopback = Endpoint.newBuilder().setHost("127.0.0.1").setPort(port0).setKind(EndpointKind.LOOPBACK)
                .build();
        return PeerTable.newBuilder().addPeers(PeerInfo.newBuilder().setRank(0).setHostId("host")
                .addEndpoints(loopback)).addPeers(PeerInfo.newBuilder().setRank(1).setHostId("host")).build();
    }

    private static SocketChannel connect(InetSocketAddress to) throws IOException {
        SocketChannel ch = SocketChannel.open(to);
        ch.socket().setSoTimeout(5000);
        return ch;
    }

    /** The acceptor closes a refused connection without accepting it. */
    private static void assertClosed(SocketChannel ch, String what) throws IOException {
        byte[] buf = new byte[1];
        int n;
        try {
            n = ch.socket().getInputStream().read(buf);
        } catch (IOException e) {
            n = -1; // reset
        }
        assertEquals(-1, n, what + " was not refused");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
