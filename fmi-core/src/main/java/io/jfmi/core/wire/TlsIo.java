package io.jfmi.core.wire;

import io.jfmi.core.util.Deadline;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a non-blocking socket, for the relay link (the data path selects on the raw socket, so an SSLSocket
 * will not do). The handshake runs against a deadline in {@link #handshake}; after it, reads and writes take what
 * the socket allows, like the socket itself.
 */
public final class TlsIo implements LinkIo {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Records read from the socket, not yet unwrapped (read mode). */
    private ByteBuffer netIn;
    /** Records wrapped, not yet written (read mode). */
    private final ByteBuffer netOut;
    /** Unwrapped bytes the reader had no room for (read mode). */
    private final ByteBuffer appIn;

    private TlsIo(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocateDirect(session.getPacketBufferSize()).flip();
        this.netOut = ByteBuffer.allocateDirect(session.getPacketBufferSize()).flip();
        this.appIn = ByteBuffer.allocateDirect(session.getApplicationBufferSize()).flip();
    }

    /**
     * Runs the client handshake on {@code channel} (switched to non-blocking) until it completes or the deadline
     * passes; {@code peer} names the other side in errors.
     */
    public static TlsIo handshake(SocketChannel channel, SSLEngine engine, Deadline deadline, String peer)
            throws IOException {
        channel.configureBlocking(false);
        TlsIo io = new TlsIo(channel, engine);
        try (Selector selector = Selector.open()) {
            SelectionKey key = channel.register(selector, 0);
            engine.beginHandshake();
            while (true) {
                SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
                switch (status) {
                    case NEED_TASK -> io.runTasks();
                    case NEED_WRAP -> {
                        io.wrap(new ByteBuffer[] {EMPTY}, 0, 1);
                        io.flushWithin(key, deadline, peer);
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult.Status unwrapped = io.unwrapInto(io.appIn.compact()).getStatus();
                        io.appIn.flip();
                        if (unwrapped == SSLEngineResult.Status.CLOSED) {
                            throw new EOFException(peer + " closed the TLS session during its handshake");
                        }
                        if (unwrapped == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            io.readWithin(key, deadline, peer);
                        }
                    }
                    default -> {
                        io.flushWithin(key, deadline, peer);
                        key.cancel();
                        return io;
                    }
                }
            }
        } catch (SSLException e) {
            throw new IOException("TLS handshake with " + peer + " failed: " + e.getMessage()
                    + " (is the server started with TLS, and does --tls-trust hold the certificate that signed its "
                    + "certificate, issued for the host name dialed?)", e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Wraps into an empty {@link #netOut}; returns the plaintext bytes consumed. */
    private int wrap(ByteBuffer[] srcs, int offset, int length) throws IOException {
        netOut.clear();
        SSLEngineResult r;
        try {
            r = engine.wrap(srcs, offset, length, netOut);
        } finally {
            netOut.flip();
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("the TLS session was closed");
        }
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        return r.bytesConsumed();
    }

    /** Unwraps what {@link #netIn} holds into {@code target} (write mode). */
    private SSLEngineResult unwrapInto(ByteBuffer target) throws IOException {
        SSLEngineResult r = engine.unwrap(netIn, target);
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && netIn.limit() == netIn.capacity()
                && netIn.position() == 0) {
            // The session asks for larger records than the buffer holds (rare: a renegotiated size).
            ByteBuffer bigger = ByteBuffer.allocateDirect(engine.getSession().getPacketBufferSize());
            bigger.put(netIn).flip();
            netIn = bigger;
        }
        return r;
    }

    private void flushWithin(SelectionKey key, Deadline deadline, String peer) throws IOException {
        while (!flush()) {
            await(key, SelectionKey.OP_WRITE, deadline, peer);
        }
    }

    private void readWithin(SelectionKey key, Deadline deadline, String peer) throws IOException {
        while (true) {
            netIn.compact();
            int n = channel.read(netIn);
            netIn.flip();
            if (n < 0) {
                throw new EOFException(peer + " closed the connection during the TLS handshake");
            }
            if (n > 0) {
                return;
            }
            await(key, SelectionKey.OP_READ, deadline, peer);
        }
    }

    private static void await(SelectionKey key, int op, Deadline deadline, String peer) throws IOException {
        if (deadline.expired()) {
            throw new IOException("TLS handshake with " + peer + " did not finish within " + deadline.budgetMillis()
                    + " ms");
        }
        key.interestOps(op);
        key.selector().select(deadline.remainingMillis());
        key.selector().selectedKeys().clear();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (appIn.hasRemaining()) {
            return Buffers.copy(appIn, dst);
        }
        while (true) {
            if (netIn.hasRemaining()) {
                // Straight into the reader's buffer when a whole record fits (a large payload's final place).
                boolean direct = dst.remaining() >= appIn.capacity();
                SSLEngineResult r;
                if (direct) {
                    r = unwrapInto(dst);
                } else {
                    r = unwrapInto(appIn.clear());
                    appIn.flip();
                }
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    flush(); // a post-handshake message to answer (a key update)
                }
                switch (r.getStatus()) {
                    case OK -> {
                        if (r.bytesProduced() > 0) {
                            return direct ? r.bytesProduced() : Buffers.copy(appIn, dst);
                        }
                        continue; // a record without data (a session ticket): try the next one
                    }
                    case CLOSED -> {
                        return -1;
                    }
                    case BUFFER_OVERFLOW -> throw new IOException("TLS record larger than the application buffer ("
                            + appIn.capacity() + " bytes)");
                    default -> {
                        // BUFFER_UNDERFLOW: a partial record; read more below
                    }
                }
            }
            netIn.compact();
            int n = channel.read(netIn);
            netIn.flip();
            if (n <= 0) {
                return n;
            }
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long taken = 0;
        while (flush()) {
            int n = wrap(srcs, offset, length);
            if (n == 0) {
                break;
            }
            taken += n;
        }
        return taken;
    }

    @Override
    public boolean flush() throws IOException {
        while (true) {
            while (netOut.hasRemaining()) {
                if (channel.write(netOut) == 0) {
                    return false;
                }
            }
            if (engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                return true;
            }
            wrap(new ByteBuffer[] {EMPTY}, 0, 1);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String protection() {
        SSLSession s = engine.getSession();
        return s.getProtocol() + " " + s.getCipherSuite();
    }
}
