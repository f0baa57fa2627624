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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Large payloads start 64 bytes into their frame; readers skip the padding however the bytes arrive. */
class FramePaddingTest {
    private static final int MAX_PAYLOAD = 1 << 20;
    private static final long DEADLINE_NANOS = 10_000_000_000L;
    private ServerSocketChannel listener;
    private SocketChannel sending;
    private SocketChannel receiving;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sending = SocketChannel.open(listener.getLocalAddress());
        receiving = listener.accept();
    }

    @AfterEach
    void close() throws IOException {
        sending.close();
        receiving.close();
        listener.close();
    }

    @Test
    void largePayloadsArePaddedToByte64AndSmallOnesAreNot() throws Exception {
        byte[] large = randomBytes(FrameWriter.PADDED_MIN_PAYLOAD);
        byte[] small = randomBytes(FrameWriter.PADDED_MIN_PAYLOAD - 1);
        Link link = new Link(sending, new PlainIo(sending), LinkKind.LOCAL, 1, "test link to rank 1", false);
        FrameWriter writer = new FrameWriter(0, 0, MAX_PAYLOAD);
        link.sendQueue.add(request(large, 3));
        link.sendQueue.add(request(small, 4));
        int expected = FrameHeader.PADDED_START + large.length + FrameHeader.SIZE + small.length;
        CompletableFuture<ByteBuffer> read = CompletableFuture.supplyAsync(() -> readExactly(expected));
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!link.sendQueue.isEmpty() && System.nanoTime() < deadline) {
            writer.writeTo(link);
        }
        assertTrue(link.sendQueue.isEmpty(), "both frames written within 10 s");

        ByteBuffer wire = read.get(10, TimeUnit.SECONDS);
        assertEquals(FrameHeader.PAD, FrameHeader.pad(wire, 0));
        assertEquals(FrameHeader.PAD + large.length, FrameHeader.length(wire, 0));
        assertEquals(large.length, FrameHeader.total(wire, 0));
        for (int i = FrameHeader.SIZE; i < FrameHeader.PADDED_START; i++) {
            assertEquals(0, wire.get(i), "padding byte " + i);
        }
        assertArrayEquals(large, bytes(wire, FrameHeader.PADDED_START, large.length));
        int second = FrameHeader.PADDED_START + large.length;
        assertEquals(0, FrameHeader.pad(wire, second));
        assertArrayEquals(small, bytes(wire, second + FrameHeader.SIZE, small.length));
    }

    @Test
    void paddingSplitAcrossReadsIsSkipped() throws IOException {
        byte[] payload = randomBytes(40_000);
        ByteBuffer frame = paddedFrame(payload, FrameHeader.PAD);
        Link link = receivingLink();
        PeerInbox[] inboxes = inboxes();
        ByteBuffer dest = ByteBuffer.allocateDirect(payload.length);
        RecvRequest r = postReceive(link, inboxes, dest);
        FrameReader reader = reader(inboxes);

        // The header and two bytes of padding first: the reader must wait for the rest of the padding.
        writeFully(frame.slice(0, FrameHeader.SIZE + 2));
        drain(reader, link);
        assertFalse(r.done);
        assertEquals(0, r.dest.position(), "no byte of padding taken as payload");
        writeFully(frame.slice(FrameHeader.SIZE + 2, frame.capacity() - FrameHeader.SIZE - 2));
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!r.done && System.nanoTime() < deadline) {
            drain(reader, link);
        }
        assertTrue(r.done, "the message delivered within 10 s");
        assertEquals(payload.length, r.received);
        assertArrayEquals(payload, bytes(dest, 0, payload.length));
    }

    @Test
    void paddingLongerThanTheFrameIsAMalformedFrame() throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(FrameHeader.SIZE + 8);
        FrameHeader.write(frame, 0, FrameHeader.FLAG_LAST, OpCode.ALLGATHER, 0, 1, 0, 7, 40, 8, 8);
        Link link = receivingLink();
        PeerInbox[] inboxes = inboxes();
        postReceive(link, inboxes, ByteBuffer.allocate(8));
        FrameReader reader = reader(inboxes);
        writeFully(frame);
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        FmiException e = assertThrows(FmiException.class, () -> {
            while (System.nanoTime() < deadline) {
                reader.readFrom(link);
            }
        });
        assertTrue(e.getMessage().contains("malformed data frame") && e.getMessage().contains("40 bytes of padding")
                && e.getMessage().contains("job-p"), e.getMessage());
    }

    private Link receivingLink() throws IOException {
        return new Link(receiving, new PlainIo(receiving), LinkKind.LOCAL, 1, "test link from rank 1", false);
    }

    private static PeerInbox[] inboxes() {
        return new PeerInbox[] {new PeerInbox(0), new PeerInbox(1)};
    }

    /** Posts, as an exchange would, a receive of all of {@code dest} from rank 1 (allgather, tag 7). */
    private static RecvRequest postReceive(Link link, PeerInbox[] inboxes, ByteBuffer dest) {
        RecvRequest r = new RecvRequest();
        r.set(1, OpCode.ALLGATHER, 7, dest, 0, dest.capacity(), false);
        inboxes[1].posted = r;
        link.pendingRecvs = 1;
        return r;
    }

    /** Rank 0's reader of a 2-rank job named "job-p". */
    private static FrameReader reader(PeerInbox[] inboxes) {
        return new FrameReader(0, 2, MAX_PAYLOAD, inboxes, "job-p", new FrameWriter(0, 0, MAX_PAYLOAD));
    }

    private static SendRequest request(byte[] payload, int tag) {
        SendRequest r = new SendRequest();
        r.set(1, OpCode.ALLGATHER, tag, ByteBuffer.wrap(payload), 0, payload.length);
        return r;
    }

    private static ByteBuffer paddedFrame(byte[] payload, int pad) {
        ByteBuffer frame = ByteBuffer.allocate(FrameHeader.SIZE + pad + payload.length);
        FrameHeader.write(frame, 0, FrameHeader.FLAG_LAST, OpCode.ALLGATHER, 0, 1, 0, 7, pad, pad + payload.length,
                payload.length);
        frame.put(FrameHeader.SIZE + pad, payload);
        return frame;
    }

    private static void drain(FrameReader reader, Link link) throws IOException {
        while (reader.readFrom(link)) {
            // until the socket has nothing more now
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            sending.write(b);
        }
    }

    private ByteBuffer readExactly(int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        try {
            while (b.hasRemaining()) {
                if (receiving.read(b) < 0) {
                    throw new IOException("closed after " + b.position() + " of " + n + " bytes");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.flip();
    }

    private static byte[] bytes(ByteBuffer b, int at, int n) {
        byte[] out = new byte[n];
        b.get(at, out);
        return out;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
