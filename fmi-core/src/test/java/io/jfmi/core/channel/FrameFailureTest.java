package io.jfmi.core.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.FmiException;
import io.jfmi.core.LinkKind;
import io.jfmi.core.wire.PlainIo;
import io.jfmi.protocol.FrameHeader;
import io.jfmi.protocol.OpCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a link failure in the middle of a message leaves behind, over real loopback sockets: the sender can send the
 * rest of the message whole (as a healed link does over the relay), and a receiver never takes a message cut short.
 */
class FrameFailureTest {
    private static final int SEGMENT = 64 * 1024;
    private static final long DEADLINE_NANOS = 10_000_000_000L;
    private ServerSocketChannel listener;

    @BeforeEach
    void listen() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void aWriteThatFailsMidMessageLeavesTheRestToBeSentWhole() throws Exception {
        byte[] payload = randomBytes(64 * SEGMENT);
        SendRequest r = new SendRequest();
        r.set(1, OpCode.ALLREDUCE, 9, ByteBuffer.wrap(payload), 0, payload.length);
        FrameWriter writer = new FrameWriter(0, 0, SEGMENT);

        // The peer goes away with the message under way: a write fails (broken pipe or reset) inside a frame.
        Link first;
        try (SocketChannel sending = SocketChannel.open(listener.getLocalAddress());
                SocketChannel receiving = listener.accept()) {
            first = new Link(sending, new PlainIo(sending), LinkKind.LOCAL, 1, "test link to rank 1", false);
            first.sendQueue.add(r);
            reset(receiving); // the next writes fail
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            assertThrows(IOException.class, () -> {
                while (System.nanoTime() < deadline) {
                    writer.writeTo(first);
                }
            }, "writing to a reset connection fails within 10 s");
        }
        assertEquals(payload.length, r.data.limit(), "the message's limit, not the failed frame's end");

        // As the healer does: the open frame goes again whole, then the rest of the message.
        FrameWriter.reopenFrame(first);
        int resumeAt = r.data.position();
        try (SocketChannel sending = SocketChannel.open(listener.getLocalAddress());
                SocketChannel receiving = listener.accept()) {
            Link second = new Link(sending, new PlainIo(sending), LinkKind.LOCAL, 1, "second test link", false);
            second.sendQueue.add(r);
            CompletableFuture<byte[]> frames = CompletableFuture.supplyAsync(() -> payloadOf(receiving));
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (!second.sendQueue.isEmpty() && System.nanoTime() < deadline) {
                writer.writeTo(second);
            }
            assertTrue(second.sendQueue.isEmpty(), "the rest of the message sent within 10 s");
            assertArrayEquals(Arrays.copyOfRange(payload, resumeAt, payload.length),
                    frames.get(10, TimeUnit.SECONDS), "every byte from the failed frame on, the last frame last");
        }
    }

    @Test
    void aReadThatFailsInsideALargePayloadLeavesTheMessageOpenToTheRest() throws Exception {
        int length = 100_000; // the first of two frames of a 200,000-byte message
        int total = 2 * length;
        ByteBuffer frame = ByteBuffer.allocate(FrameHeader.PADDED_START + 40_000);
        FrameHeader.write(frame, 0, 0, OpCode.ALLGATHER, 0, 1, 0, 7, FrameHeader.PAD, FrameHeader.PAD + length,
                total);
        RecvRequest r = new RecvRequest();
        r.set(1, OpCode.ALLGATHER, 7, ByteBuffer.allocate(total), 0, total, false);
        try (SocketChannel sending = SocketChannel.open(listener.getLocalAddress());
                SocketChannel receiving = listener.accept()) {
            receiving.configureBlocking(false);
            Link link = new Link(receiving, new PlainIo(receiving), LinkKind.LOCAL, 1, "test link from rank 1", false);
            PeerInbox[] inboxes = {new PeerInbox(0), new PeerInbox(1)};
            inboxes[1].posted = r;
            link.pendingRecvs = 1;
            FrameReader reader = new FrameReader(0, 2, 2 * length, inboxes, "job-f", new FrameWriter(0, 0, SEGMENT));
            while (frame.hasRemaining()) {
                sending.write(frame);
            }
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (r.dest.position() < 40_000 && System.nanoTime() < deadline) {
                reader.readFrom(link);
            }
            assertEquals(40_000, r.dest.position(), "the first 40,000 payload bytes taken within 10 s");
            reset(sending); // the reader's next read, straight into the message, fails
            assertThrows(IOException.class, () -> {
                while (System.nanoTime() < deadline) {
                    reader.readFrom(link);
                }
            }, "reading from a reset connection fails within 10 s");
        }
        assertEquals(total, r.dest.limit(), "the message's limit, not the failed frame's end");
    }

    @Test
    void aMessageWhoseLastFrameComesEarlyIsRefused() throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(FrameHeader.SIZE + 8);
        FrameHeader.write(frame, 0, FrameHeader.FLAG_LAST, OpCode.ALLGATHER, 0, 1, 0, 7, 0, 8, 16);
        frame.putLong(FrameHeader.SIZE, 42);
        try (SocketChannel sending = SocketChannel.open(listener.getLocalAddress());
                SocketChannel receiving = listener.accept()) {
            Link link = new Link(receiving, new PlainIo(receiving), LinkKind.LOCAL, 1, "test link from rank 1", false);
            PeerInbox[] inboxes = {new PeerInbox(0), new PeerInbox(1)};
            RecvRequest r = new RecvRequest();
            ByteBuffer dest = ByteBuffer.allocate(16);
            r.set(1, OpCode.ALLGATHER, 7, dest, 0, 16, false);
            inboxes[1].posted = r;
            link.pendingRecvs = 1;
            FrameReader reader = new FrameReader(0, 2, SEGMENT, inboxes, "job-f", new FrameWriter(0, 0, SEGMENT));
            while (frame.hasRemaining()) {
                sending.write(frame);
            }
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            FmiException e = assertThrows(FmiException.class, () -> {
                while (System.nanoTime() < deadline) {
                    reader.readFrom(link);
                }
            });
            assertTrue(e.getMessage().contains("rank 1 ended a message of 16 bytes after 8")
                    && e.getMessage().contains("job-f"), e.getMessage());
            assertFalse(r.done, "nothing delivered");
        }
    }

    /** Closes {@code end} with a reset (no lingering), as a peer that crashed or was cut off. */
    private static void reset(SocketChannel end) throws IOException {
        end.setOption(StandardSocketOptions.SO_LINGER, 0);
        end.close();
    }

    /** Reads frames until one marked last, checking each header; returns their payloads in order. */
    private static byte[] payloadOf(SocketChannel from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ByteBuffer header = ByteBuffer.allocate(FrameHeader.SIZE);
            while (true) {
                readFully(from, header.clear());
                int pad = FrameHeader.pad(header, 0);
                ByteBuffer body = ByteBuffer.allocate(FrameHeader.length(header, 0));
                readFully(from, body);
                out.write(body.array(), pad, body.capacity() - pad);
                if (FrameHeader.isLast(header, 0)) {
                    return out.toByteArray();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readFully(SocketChannel from, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (from.read(b) < 0) {
                throw new IOException("closed with " + b.remaining() + " bytes of a frame still to come");
            }
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
