package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.SecretFile;
import io.jfmi.protocol.proto.ClientHello;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.protocol.proto.Purpose;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-address and pending-handshake limits: the connection over the limit gets an error naming it. */
class ConnectionLimitsTest {
    @TempDir
    Path dir;

    private RendezvousServer start(ConnectionLimits limits) throws Exception {
        Path secrets = dir.resolve("s");
        Files.writeString(secrets, "limits-secret-0123456789\n");
        return RendezvousServer.start(ServerConfig.defaults(SecretFile.read(secrets)).withPorts("127.0.0.1", 0, -1)
                .withLimits(64 * 1024, 16, 64, Duration.ofMinutes(10), Duration.ofSeconds(20))
                .withConnectionLimits(limits));
    }

    @Test
    void connectionsFromOneAddressBeyondTheLimitAreRefusedByName() throws Exception {
        try (RendezvousServer server = start(new ConnectionLimits(3, 100, 1 << 20))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(helloed(server));
                }
                try (Socket fourth = new Socket("127.0.0.1", server.port())) {
                    fourth.setSoTimeout(5000);
                    ControlMessage refusal = ControlCodec.read(fourth.getInputStream(), "server");
                    assertEquals(ErrorCode.LIMIT_EXCEEDED, refusal.getError().getCode());
                    assertTrue(refusal.getError().getMessage().contains("--max-connections-per-address 3"),
                            refusal.getError().getMessage());
                    assertThrows(EOFException.class, () -> ControlCodec.read(fourth.getInputStream(), "server"));
                }
                assertEquals(1, server.metrics().errorCount("limit_connections_per_address"));
                held.remove(0).close();
                awaitFreed(server, () -> helloed(server));
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void handshakesInProgressBeyondTheLimitAreRefusedByName() throws Exception {
        try (RendezvousServer server = start(new ConnectionLimits(100, 2, 1 << 20))) {
            // a and b are counted first (they got their challenge, and never prove anything), then c comes
            try (Socket a = helloed(server); Socket b = helloed(server);
                    Socket c = new Socket("127.0.0.1", server.port())) {
                assertTrue(a.isConnected() && b.isConnected(), "the two handshakes in progress");
                c.setSoTimeout(5000);
                ControlMessage refusal = ControlCodec.read(c.getInputStream(), "server");
                assertEquals(ErrorCode.LIMIT_EXCEEDED, refusal.getError().getCode());
                assertTrue(refusal.getError().getMessage().contains("--max-pending-handshakes 2"),
                        refusal.getError().getMessage());
                assertEquals(1, server.metrics().errorCount("limit_pending_handshakes"));
            }
            // once those are gone, a new connection gets its challenge again
            awaitFreed(server, () -> helloed(server));
        }
    }

    @Test
    void limitsOutsideTheirRangeAreRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConnectionLimits(0, 1, 1 << 20).validate());
        assertTrue(e.getMessage().contains("--max-connections-per-address"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConnectionLimits(1, 1, 1024).validate());
        assertTrue(e.getMessage().contains("--relay-buffer-bytes"), e.getMessage());
    }

    private interface Attempt {
        Socket run() throws IOException;
    }

    /** Retries briefly: the server counts a closed connection once Netty has seen it close. */
    private static void awaitFreed(RendezvousServer server, Attempt attempt) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                attempt.run().close();
                return;
            } catch (IOException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Connects and says hello; returns the socket once the server's challenge came back. */
    private static Socket helloed(RendezvousServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5000);
        ControlCodec.write(s.getOutputStream(), ControlMessage.newBuilder().setHello(ClientHello.newBuilder()
                .setProtocolVersion(ControlCodec.PROTOCOL_VERSION).setJobId("limits").setRank(0).setWorldSize(2)
                .setPurpose(Purpose.CONTROL)).build());
        ControlMessage reply = ControlCodec.read(s.getInputStream(), "server");
        if (!reply.hasChallenge()) {
            s.close();
            throw new AssertionError("expected a challenge, got " + reply);
        }
        return s;
    }
}
