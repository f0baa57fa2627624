package io.jfmi.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AES-GCM records over a real loopback connection: any split of the stream arrives; altered bytes never do. */
class SealedIoTest {
    private static final byte[] KEY_AB = bytes(16, 1);
    private static final byte[] KEY_BA = bytes(16, 2);

    private SocketChannel a;
    private SocketChannel b;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            a = SocketChannel.open(server.getLocalAddress());
            b = server.accept();
        }
        a.configureBlocking(false);
        b.configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        a.close();
        b.close();
    }

    @Test
    void anyWriteAndReadSplitDeliversTheStreamInOrder() throws IOException {
        SealedIo sender = new SealedIo(a, KEY_AB, KEY_BA, "b");
        SealedIo receiver = new SealedIo(b, KEY_BA, KEY_AB, "a");
        byte[] stream = bytes(1_000_003, 9);
        Random random = new Random(3);
        ByteBuffer src = ByteBuffer.wrap(stream);
        ByteBuffer dst = ByteBuffer.allocate(stream.length);
        while (dst.hasRemaining()) {
            if (src.hasRemaining()) {
                // Writes of 1 byte to 200 KiB, as headers and payload slices come; gathered in pairs sometimes.
                int n = Math.min(src.remaining(), 1 + random.nextInt(200_000));
                ByteBuffer slice = src.slice().limit(n);
                ByteBuffer[] parts = n > 1 && random.nextBoolean()
                        ? new ByteBuffer[] {slice.slice().limit(n / 2), slice.slice().position(n / 2)}
                        : new ByteBuffer[] {slice};
                long taken = sender.write(parts, 0, parts.length);
                src.position(src.position() + (int) taken);
            } else {
                sender.flush();
            }
            int room = Math.min(dst.remaining(), 1 + random.nextInt(100_000));
            ByteBuffer window = dst.slice().limit(room);
            int n = receiver.read(window);
            assertTrue(n >= 0, "end of stream before all bytes arrived");
            dst.position(dst.position() + n);
        }
        assertArrayEquals(stream, dst.array());
    }

    @Test
    void aFlippedBitFailsAuthenticationAndNamesThePeer() throws IOException {
        byte[] wire = sealedBytes(bytes(5000, 4));
        wire[100] ^= 0x01;
        IOException e = assertThrows(IOException.class, () -> readAll(wire));
        assertTrue(e.getMessage().contains("sealed record #0 from a failed authentication"), e.getMessage());
    }

    @Test
    void aReplayedRecordFailsAuthentication() throws IOException {
        byte[] record = sealedBytes(bytes(5000, 4));
        byte[] twice = Arrays.copyOf(record, record.length * 2);
        System.arraycopy(record, 0, twice, record.length, record.length);
        IOException e = assertThrows(IOException.class, () -> readAll(twice));
        assertTrue(e.getMessage().contains("record #1"), e.getMessage());
    }

    @Test
    void aPeerThatDoesNotSealIsNamedAsSuch() throws IOException {
        byte[] plainFrame = new byte[64];
        Arrays.fill(plainFrame, (byte) 0x7f);
        IOException e = assertThrows(IOException.class, () -> readAll(plainFrame));
        assertTrue(e.getMessage().contains("malformed sealed record from a"), e.getMessage());
        assertTrue(e.getMessage().contains("does not seal"), e.getMessage());
    }

    @Test
    void theWrongKeyFailsAuthentication() throws IOException {
        byte[] wire = sealedBytes(bytes(100, 4));
        SealedIo wrongKey = new SealedIo(b, KEY_BA, bytes(16, 7), "a");
        writeRaw(wire);
        IOException e = assertThrows(IOException.class, () -> drain(wrongKey, 100));
        assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
    }

    /** Seals {@code plain} on a and captures the bytes that reach b's socket. */
    private byte[] sealedBytes(byte[] plain) throws IOException {
        SealedIo sender = new SealedIo(a, KEY_AB, KEY_BA, "b");
        ByteBuffer src = ByteBuffer.wrap(plain);
        while (src.hasRemaining() || !sender.flush()) {
            sender.write(new ByteBuffer[] {src}, 0, 1);
        }
        ByteBuffer raw = ByteBuffer.allocate(plain.length + 1024);
        long until = System.nanoTime() + 5_000_000_000L;
        int expected = plain.length + SealedIo.LENGTH_BYTES + SealedIo.TAG_BYTES;
        while (raw.position() < expected && System.nanoTime() < until) {
            b.read(raw);
        }
        return Arrays.copyOf(raw.array(), raw.position());
    }

    private void readAll(byte[] wire) throws IOException {
        writeRaw(wire);
        drain(new SealedIo(b, KEY_BA, KEY_AB, "a"), wire.length);
    }

    private void writeRaw(byte[] wire) throws IOException {
        ByteBuffer w = ByteBuffer.wrap(wire);
        while (w.hasRemaining()) {
            a.write(w);
        }
    }

    private static void drain(SealedIo receiver, int atMost) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(atMost);
        long until = System.nanoTime() + 5_000_000_000L;
        while (dst.hasRemaining() && System.nanoTime() < until) {
            if (receiver.read(dst) < 0) {
                return;
            }
        }
    }

    private static byte[] bytes(int n, long seed) {
        byte[] out = new byte[n];
        new Random(seed).nextBytes(out);
        return out;
    }
}
