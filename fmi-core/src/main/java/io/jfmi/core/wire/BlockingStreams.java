package io.jfmi.core.wire;

import io.jfmi.core.util.Deadline;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Blocking streams over a non-blocking {@link LinkIo}, every call bounded by one deadline: for the few handshake
 * messages a link exchanges before it carries frames. Close it to release its selector (not the connection).
 */
public final class BlockingStreams implements AutoCloseable {
    private final LinkIo io;
    private final Selector selector;
    private final SelectionKey key;
    private final Deadline deadline;
    private final String peer;

    public BlockingStreams(SocketChannel channel, LinkIo io, Deadline deadline, String peer) throws IOException {
        this.io = io;
        this.deadline = deadline;
        this.peer = peer;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    public InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                ByteBuffer dst = ByteBuffer.wrap(b, off, len);
                while (true) {
                    int n = io.read(dst);
                    if (n != 0) {
                        return n;
                    }
                    await(SelectionKey.OP_READ, "a reply");
                }
            }
        };
    }

    public OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer[] src = {ByteBuffer.wrap(b, off, len)};
                while (src[0].hasRemaining()) {
                    if (io.write(src, 0, 1) == 0) {
                        await(SelectionKey.OP_WRITE, "room to send");
                    }
                }
                while (!io.flush()) {
                    await(SelectionKey.OP_WRITE, "room to send");
                }
            }
        };
    }

    private void await(int op, String what) throws IOException {
        if (deadline.expired()) {
            throw new IOException("timed out after " + deadline.budgetMillis() + " ms waiting for " + what + " from "
                    + peer);
        }
        key.interestOps(op);
        selector.select(deadline.remainingMillis());
        selector.selectedKeys().clear();
        if (!key.channel().isOpen()) {
            throw new EOFException("connection to " + peer + " closed");
        }
    }

    @Override
    public void close() throws IOException {
        key.cancel();
        selector.close();
    }
}
