package io.jfmi.core.channel;

import io.jfmi.core.LinkKind;
import io.jfmi.core.wire.LinkIo;
import io.jfmi.protocol.FrameHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One non-blocking TCP connection carrying data frames: to one peer (direct links) or to the rendezvous server
 * for any number of peers (the relay link). Holds the connection's read buffer, the frame being parsed and the
 * queue of outgoing messages; the {@link Transport} drives it from the caller's thread.
 */
public final class Link {
    /** Reads smaller than this go through the link's buffer; larger payloads are read straight into place. */
    static final int READ_BUFFER_BYTES = 64 * 1024;
    /** Payload left in a frame from which a reader reads straight into the destination instead of its buffer. */
    static final int DIRECT_READ_MIN_BYTES = READ_BUFFER_BYTES / 2;

    final SocketChannel channel;
    /** The bytes of {@link #channel}, possibly sealed. */
    final LinkIo io;
    final LinkKind kind;
    /** The only rank this link carries frames from, or -1 for the relay link. */
    final int fixedPeer;
    final String description;

    /** The pair's second connection (the dialer's large messages), or null when the link has one connection. */
    final SecondConnection second;
    /** Switches the first connection's send buffer between small and large messages; null when it is fixed. */
    final SendBufferSwitch sendBuffers;
    /** Unparsed inbound bytes between position and limit (kept in read mode between pumps). */
    final ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER_BYTES).order(ByteOrder.BIG_ENDIAN).flip();
    final ByteBuffer headerOut = ByteBuffer.allocateDirect(FrameHeader.PADDED_START).order(ByteOrder.BIG_ENDIAN);
    final ByteBuffer[] gather = new ByteBuffer[2];
    final ArrayDeque<SendRequest> sendQueue = new ArrayDeque<>();

    /** Payload bytes of the current inbound frame still to arrive; its inbox; whether it ends its message. */
    int payloadRemaining;
    PeerInbox payloadInbox;
    boolean payloadLast;
    /** End (exclusive) of the current outbound frame's payload within the head request's view. */
    int frameEnd;
    boolean frameLast;

    /** Posted receives of the current exchange that will arrive over this link and have not yet. */
    int pendingRecvs;
    /** The other side closed the connection (end of stream seen). */
    boolean peerClosed;
    /** Writing an acknowledgement failed: the peer has closed; no more are written, its last bytes are still read. */
    boolean acknowledgementsRefused;
    SelectionKey key;
    int interest;
    /** A selector holding only this link, always armed for reads: waiting on one link changes no interest set. */
    private volatile Selector readSelector;
    int activeEpoch;
    long bytesSent;
    long bytesReceived;
    /** The part of {@link #bytesReceived} read into a buffer rather than straight into place. */
    long bytesBuffered;

    // Healing (direct links only; see LinkHealer). Offsets count bytes of a direction's stream since the link began.
    /** What this link wrote that the peer has not acknowledged; null when the link does not heal. */
    final SendLog log;
    /** Stream offset where the frame or acknowledgement being written began, to cut it back if the link fails. */
    long unitStart;
    /** Where the open outbound frame's payload starts in the head request's view. */
    int frameStart;
    /** Payload length of the inbound frame being read. */
    int payloadLength;
    /** Offset in the peer's stream just past the last whole frame taken from it. */
    long takenOffset;
    /** The last {@link #takenOffset} acknowledged to the peer, and frames taken since. */
    long ackedOffset;
    int framesSinceAck;
    /** An acknowledgement frame waiting to be written (empty when none). */
    final ByteBuffer ackOut;
    /**
     * When the link last moved a byte either way, or became needed; when it last wrote; when it became needed. Read
     * off the clock only when a rank parks or judges a stall (see {@link #readClocks}), never per message: the flags
     * below say what happened since, so each clock is at or after the true time, which only delays a verdict.
     */
    long lastProgressNanos;
    long lastWriteNanos;
    long activatedNanos;
    boolean movedSinceClock;
    boolean wroteSinceClock;
    boolean activatedSinceClock;
    long lastStuckReportNanos;
    /** Non-null once the link failed: why, and since when (it is then neither read nor written). */
    String brokenBecause;
    long brokenAtNanos;

    Link(SocketChannel channel, LinkIo io, LinkKind kind, int fixedPeer, String description) throws IOException {
        this(channel, io, kind, fixedPeer, description, false);
    }

    Link(SocketChannel channel, LinkIo io, LinkKind kind, int fixedPeer, String description, boolean heals)
            throws IOException {
        this(channel, io, kind, fixedPeer, description, heals, null, null);
    }

    /** @param sendBuffers sets the first connection's send buffer by message size; null when it is fixed */
    Link(SocketChannel channel, LinkIo io, LinkKind kind, int fixedPeer, String description, boolean heals,
            SecondConnection second, SendBufferSwitch sendBuffers) throws IOException {
        if (heals && second != null) {
            throw new IllegalArgumentException("a healing link resends one stream: it cannot have a second connection");
        }
        this.second = second;
        this.sendBuffers = sendBuffers;
        this.channel = channel;
        this.io = io;
        this.kind = kind;
        this.fixedPeer = fixedPeer;
        this.description = description;
        this.log = heals ? new SendLog() : null;
        this.ackOut = heals ? ByteBuffer.allocateDirect(FrameHeader.SIZE + Long.BYTES).order(ByteOrder.BIG_ENDIAN)
                : ByteBuffer.allocate(0);
        ackOut.limit(0);
        channel.configureBlocking(false);
        headerOut.limit(0);
    }

    /** Brings the stall clocks up to {@code now} for whatever happened since they were last read. */
    void readClocks(long now) {
        if (activatedSinceClock) {
            activatedNanos = now;
            lastProgressNanos = now;
            activatedSinceClock = false;
        }
        if (movedSinceClock) {
            lastProgressNanos = now;
            movedSinceClock = false;
        }
        if (wroteSinceClock) {
            lastWriteNanos = now;
            wroteSinceClock = false;
        }
    }

    /** Where the peer's next bytes are read: the second connection inside a message announced there, else here. */
    ByteBuffer inbound() {
        return second != null && second.reading ? second.in : in;
    }

    LinkIo inboundIo() {
        return second != null && second.reading ? second.io : io;
    }

    /** True when the reader is inside a message on the second connection. */
    boolean readingSecond() {
        return second != null && second.reading;
    }

    /** True when this link keeps what it sends until acknowledged, and has not failed yet. */
    boolean heals() {
        return log != null && brokenBecause == null;
    }

    public LinkKind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** Waits up to {@code millis} for this link to become readable. */
    void awaitReadable(long millis) throws IOException {
        if (readSelector == null) {
            readSelector = Selector.open();
            channel.register(readSelector, SelectionKey.OP_READ);
        }
        readSelector.select(millis);
        readSelector.selectedKeys().clear();
    }

    /** Wakes a thread parked in {@link #awaitReadable}. */
    void wakeup() {
        Selector s = readSelector;
        if (s != null) {
            s.wakeup();
        }
    }

    void closeQuietly() {
        if (readSelector != null) {
            try {
                readSelector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            io.close();
        } catch (IOException ignored) {
            // closing after a failure: nothing more to report
        }
        if (second != null) {
            try {
                second.io.close();
            } catch (IOException ignored) {
                // as above
            }
        }
    }
}
