package io.jfmi.rendezvous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.jfmi.core.Communicator;
import io.jfmi.core.FmiException;
import io.jfmi.core.FmiTimeoutException;
import io.jfmi.core.RendezvousException;
import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.FrameHeader;
import io.jfmi.protocol.JobAuth;
import io.jfmi.protocol.OpCode;
import io.jfmi.protocol.proto.ClientHello;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.protocol.proto.Purpose;
import io.jfmi.protocol.proto.Register;
import io.jfmi.protocol.proto.RelayAttach;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wrong secrets, duplicates, garbage and spoofing get a clear error and harm no other job. */
class BadInputTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void wrongSecretIsRefusedByName() {
        RendezvousException e = assertThrows(RendezvousException.class, () -> Communicator.connect(
                server.options("secret-job", 0, 2).secret("not-the-secret".getBytes())
                        .joinTimeout(Duration.ofSeconds(5)).build()));
        assertTrue(e.getMessage().contains("AUTH_FAILED") && e.getMessage().contains("wrong job secret"),
                e.getMessage());
        assertTrue(server.server.metrics().errorCount("auth_failed") >= 1);
    }

    @Test
    void perJobSecretsIsolateJobs() {
        // "other-job" has its own secret: the any-job secret must not open it
        RendezvousException e = assertThrows(RendezvousException.class, () -> Communicator.connect(
                server.options("other-job", 0, 1).joinTimeout(Duration.ofSeconds(5)).build()));
        assertTrue(e.getMessage().contains("wrong job secret"), e.getMessage());
    }

    @Test
    void duplicateRankAndWorldSizeMismatchAreNamedWhileTheJobStillForms() throws Exception {
        CompletableFuture<Communicator> first = CompletableFuture.supplyAsync(
                () -> Communicator.connect(server.options("dup-job", 0, 2).build()));
        waitForRegistrations("dup-job", 1);
        RendezvousException dup = assertThrows(RendezvousException.class, () -> Communicator.connect(
                server.options("dup-job", 0, 2).joinTimeout(Duration.ofSeconds(5)).build()));
        assertTrue(dup.getMessage().contains("DUPLICATE_RANK") && dup.getMessage().contains("already registered"),
                dup.getMessage());
        RendezvousException size = assertThrows(RendezvousException.class, () -> Communicator.connect(
                server.options("dup-job", 1, 3).joinTimeout(Duration.ofSeconds(5)).build()));
        assertTrue(size.getMessage().contains("WORLD_SIZE_MISMATCH") && size.getMessage().contains("world size 2"),
                size.getMessage());
        // the job is unharmed: the right rank 1 completes it
        try (Communicator second = Communicator.connect(server.options("dup-job", 1, 2).build());
                Communicator c0 = first.get(20, TimeUnit.SECONDS)) {
            CompletableFuture<Void> b0 = CompletableFuture.runAsync(c0::barrier);
            second.barrier();
            b0.get(20, TimeUnit.SECONDS);
        }
    }

    private static void waitForRegistrations(String job, int count) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (server.server.registry().find(job) != null) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("job " + job + " never appeared");
    }

    @Test
    void garbageControlFrameGetsMalformedFrameError() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(4);
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            out.flush();
            ControlMessage reply = ControlCodec.read(s.getInputStream(), "server");
            assertEquals(ErrorCode.MALFORMED_FRAME, reply.getError().getCode());
            assertEquals(-1, s.getInputStream().read(), "connection closed after the error");
        }
    }

    @Test
    void oversizeControlFrameGetsFrameTooLargeError() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(512 << 20);
            out.flush();
            ControlMessage reply = ControlCodec.read(s.getInputStream(), "server");
            assertEquals(ErrorCode.FRAME_TOO_LARGE, reply.getError().getCode());
        }
    }

    @Test
    void wrongProtocolVersionAndFirstMessageNotHelloAreRefused() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(5000);
            ControlCodec.write(s.getOutputStream(), ControlMessage.newBuilder().setHello(ClientHello.newBuilder()
                    .setProtocolVersion(99).setJobId("v").setRank(0).setWorldSize(1).setPurpose(Purpose.CONTROL))
                    .build());
            ControlMessage reply = ControlCodec.read(s.getInputStream(), "server");
            assertEquals(ErrorCode.PROTOCOL_VERSION, reply.getError().getCode());
        }
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(5000);
            ControlCodec.write(s.getOutputStream(), ControlMessage.newBuilder()
                    .setRegister(Register.getDefaultInstance()).build());
            ControlMessage reply = ControlCodec.read(s.getInputStream(), "server");
            assertEquals(ErrorCode.BAD_REQUEST, reply.getError().getCode());
            assertTrue(reply.getError().getMessage().contains("hello"), reply.getError().getMessage());
        }
    }

    /** A relay connection that claims another sender rank is cut off and the rank told why. */
    @Test
    void spoofedRelayFrameClosesThatRelayOnly() throws Exception {
        CompletableFuture<Communicator> rank1 = CompletableFuture.supplyAsync(
                () -> Communicator.connect(server.options("spoof-job", 1, 2).build()));
        try (Socket control = new Socket("127.0.0.1", server.server.port());
                Socket relay = new Socket("127.0.0.1", server.server.port())) {
            control.setSoTimeout(10_000);
            relay.setSoTimeout(10_000);
            register(control, "spoof-job", 0, 2);
            // rank 1 dials us directly; we report no dials, so the plan says: relay between 0 and 1
            ControlCodec.write(control.getOutputStream(), ControlMessage.newBuilder()
                    .setConnectReport(io.jfmi.protocol.proto.ConnectReport.getDefaultInstance()).build());
            ControlMessage plan = ControlCodec.read(control.getInputStream(), "server");
            assertEquals(List.of(1), plan.getChannelPlan().getRelayPeersList());
            attachRelay(relay, "spoof-job", 0, 2);
            ByteBuffer frame = ByteBuffer.allocate(FrameHeader.SIZE + 4);
            FrameHeader.write(frame, 0, FrameHeader.FLAG_LAST, OpCode.SEND_RECV, 0, /* src */ 1, /* dst */ 1, 0, 4, 4);
            relay.getOutputStream().write(frame.array());
            relay.getOutputStream().flush();
            assertEquals(-1, relay.getInputStream().read(), "relay closed on a spoofed sender");
            ControlMessage err = ControlCodec.read(control.getInputStream(), "server");
            assertEquals(ErrorCode.MALFORMED_FRAME, err.getError().getCode());
            assertTrue(err.getError().getMessage().contains("claims sender rank 1"), err.getError().getMessage());
        }
        // our fake rank 0 vanished without a goodbye: the real rank 1 must hear that rank 0 is gone, whether it
        // was still setting up or already connected, and not wait for its own deadline
        Throwable t = assertThrows(Exception.class, () -> {
            try (Communicator c = rank1.get(30, TimeUnit.SECONDS)) {
                c.barrier();
            }
        });
        Throwable failure = t instanceof ExecutionException ? t.getCause() : t;
        assertInstanceOf(FmiException.class, failure, String.valueOf(t));
        assertTrue(failure.getMessage().contains("rank 0"), failure.getMessage());
        assertFalse(failure instanceof FmiTimeoutException, "a lost rank must not surface as a timeout: " + failure);
    }

    private static void register(Socket s, String job, int rank, int n) throws IOException {
        byte[] nonce = hello(s, job, rank, n, Purpose.CONTROL);
        byte[] mac = JobAuth.registrationMac(TestServer.SECRET.getBytes(), nonce, "CONTROL", job, rank, n);
        ControlCodec.write(s.getOutputStream(), ControlMessage.newBuilder().setRegister(Register.newBuilder()
                .setMac(ByteString.copyFrom(mac)).setHostId("fake-host")).build());
        ControlMessage table = ControlCodec.read(s.getInputStream(), "server");
        assertTrue(table.hasPeerTable(), table.toString());
    }

    private static void attachRelay(Socket s, String job, int rank, int n) throws IOException {
        byte[] nonce = hello(s, job, rank, n, Purpose.RELAY);
        byte[] mac = JobAuth.registrationMac(TestServer.SECRET.getBytes(), nonce, "RELAY", job, rank, n);
        ControlCodec.write(s.getOutputStream(), ControlMessage.newBuilder().setRelayAttach(RelayAttach.newBuilder()
                .setMac(ByteString.copyFrom(mac))).build());
        assertTrue(ControlCodec.read(s.getInputStream(), "server").hasRelayReady());
    }

    private static byte[] hello(Socket s, String job, int rank, int n, Purpose purpose) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        ControlCodec.write(out, ControlMessage.newBuilder().setHello(ClientHello.newBuilder()
                .setProtocolVersion(ControlCodec.PROTOCOL_VERSION).setJobId(job).setRank(rank).setWorldSize(n)
                .setPurpose(purpose)).build());
        ControlMessage challenge = ControlCodec.read(in, "server");
        assertInstanceOf(ControlMessage.class, challenge);
        assertTrue(challenge.hasChallenge(), challenge.toString());
        return challenge.getChallenge().getNonce().toByteArray();
    }
}
