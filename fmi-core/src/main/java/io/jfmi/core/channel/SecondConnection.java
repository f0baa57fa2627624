package io.jfmi.core.channel;

import io.jfmi.core.wire.LinkIo;
import io.jfmi.protocol.FrameHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A direct link's second TCP connection, which carries only the dialer's large messages. Two large messages
 * crossing on one loopback socket move at about half the speed of two sockets (the kernel handles the incoming
 * stream under the lock the outgoing write holds), while small messages want the one socket, where each answer
 * carries the acknowledgement of the question (benchmarks/RESULTS.md, "A second connection"). So the acceptor's
 * messages and the dialer's small ones share the first connection, and before each large message the dialer
 * writes a {@code NEXT_ON_SECOND} header there: the acceptor then reads exactly one message from this connection
 * and comes back, which keeps the pair's messages in the order they were sent.
 */
final class SecondConnection {
    /** Messages of at least this many bytes go on the second connection (from 64 KiB both layouts measured level). */
    static final int MIN_MESSAGE_BYTES = 64 * 1024;

    final SocketChannel channel;
    final LinkIo io;
    /** True on the dialer, which writes here; the acceptor only reads. */
    final boolean sends;
    /** The acceptor's unparsed bytes from this connection (read mode); empty on the dialer. */
    final ByteBuffer in;
    /** The dialer's {@code NEXT_ON_SECOND} header being written on the first connection (read mode). */
    final ByteBuffer marker;
    /** Acceptor: a marker was read and its message has not wholly arrived here yet. */
    boolean reading;
    SelectionKey key;
    int interest;

    SecondConnection(SocketChannel channel, LinkIo io, boolean sends) throws IOException {
        this.channel = channel;
        this.io = io;
        this.sends = sends;
        this.in = ByteBuffer.allocateDirect(sends ? 0 : Link.READ_BUFFER_BYTES).order(ByteOrder.BIG_ENDIAN).flip();
        this.marker = ByteBuffer.allocateDirect(sends ? FrameHeader.SIZE : 0).order(ByteOrder.BIG_ENDIAN);
        marker.limit(0);
        channel.configureBlocking(false);
    }

    /** True when a message of {@code bytes} goes here rather than on the first connection. */
    boolean takes(int bytes) {
        return sends && bytes >= MIN_MESSAGE_BYTES;
    }
}
