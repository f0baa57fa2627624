package io.jfmi.core.channel;

import io.jfmi.core.CollectiveMismatchException;
import io.jfmi.core.FmiException;
import io.jfmi.core.PeerFailureException;
import io.jfmi.protocol.FrameHeader;
import io.jfmi.protocol.OpCode;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Parses inbound frames of a link and routes their payloads: into the posted receive when one matches (no extra
 * copy for large payloads), else into an early-message buffer. Checks every header against who may send it.
 */
final class FrameReader {
    private final int rank;
    private final int size;
    private final int maxFrame;
    private final PeerInbox[] inboxes;
    private final String jobId;
    /** Queues acknowledgements on healing links. */
    private final FrameWriter acks;

    /** A healing link acknowledges after this many bytes or frames taken, whichever comes first. */
    static final int ACK_EVERY_BYTES = 512 * 1024;
    static final int ACK_EVERY_FRAMES = 256;

    /**
     * Calls whose messages are this many to a buffer or more keep whole-buffer reads on every link: even refilled
     * all at once, the buffers refill once in that many calls, under the 1% a p99 sees. Read a few frames at a
     * time, every 14th call of an 8-rank 8 B reduce's root took 15 µs: one read of a few hundred bytes from a full
     * receive queue, whose window update let the leaf's queued segments in, received inside that read
     * (benchmarks/RESULTS.md).
     */
    static final int WHOLE_BUFFER_MIN_FRAMES = 200;

    /** Whether this call's read-ahead is still to be handed out (see {@link #startCall}). */
    private boolean readAheadLeft = true;
    /** How many links the current call reads from. */
    private int links;
    /** Whether the current call's refills read whole buffers (one link, or messages small enough). */
    private boolean wholeBufferReads = true;
    /** Whether the current call receives a payload read straight into place: refills then stop at the next header. */
    private boolean largeMessages;

    FrameReader(int rank, int size, int maxFrame, PeerInbox[] inboxes, String jobId, FrameWriter acks) {
        this.rank = rank;
        this.size = size;
        this.maxFrame = maxFrame;
        this.inboxes = inboxes;
        this.jobId = jobId;
        this.acks = acks;
    }

    /**
     * Starts a call that reads from {@code readingLinks} links, the largest message it receives {@code
     * largestReceive} bytes. With more than one link, a refill reads the rest of the frame in hand and the next
     * header, and the first link refilled in the call reads on: two frames like the last for each link, at most a
     * share of one buffer. Links whose buffers were filled whole, together, ran dry together, so one call in every
     * 62 of an 8-rank reduce's root read 7 x 64 KiB of 1 KiB messages (30-840 µs, benchmarks/RESULTS.md); handing
     * the read-ahead to one link a call makes their refills take turns, each call reading about what it takes. One
     * link keeps whole-buffer reads: it has no one to take turns with; so do calls of small messages
     * ({@link #WHOLE_BUFFER_MIN_FRAMES}). A call that receives a payload of {@link Link#DIRECT_READ_MIN_BYTES} or
     * more reads no further than the next header on any link or connection, so that payload goes straight into
     * place: a whole-buffer refill took the first 64 KiB of every 1 MiB message into the buffer and copied it again
     * (2% of the CPU of an 8-rank 1 MiB allgather, perf; benchmarks/RESULTS.md). It costs no read: the header's read
     * replaces the one that took those 64 KiB.
     */
    void startCall(int readingLinks, int largestReceive) {
        links = readingLinks;
        readAheadLeft = true;
        largeMessages = largestReceive >= Link.DIRECT_READ_MIN_BYTES;
        wholeBufferReads = !largeMessages && (links <= 1
                || (long) (FrameHeader.SIZE + largestReceive) * WHOLE_BUFFER_MIN_FRAMES <= Link.READ_BUFFER_BYTES);
    }

    /**
     * Bounds the refill of {@code in}, {@code link}'s buffer or its second connection's (in write mode, after a
     * compact), as {@link #startCall} says. Returns whether this refill took the call's read-ahead.
     */
    private boolean limitRefill(ByteBuffer in, Link link) {
        if (wholeBufferReads) {
            return false;
        }
        boolean takes = readAheadLeft && !largeMessages && in == link.in;
        if (takes) {
            readAheadLeft = false;
        }
        long ahead = takes
                ? Math.min(2L * links * (FrameHeader.SIZE + link.payloadLength), Link.READ_BUFFER_BYTES / links)
                : 0;
        long wanted = in.position() + Math.max(0, link.payloadRemaining) + Math.max(ahead, FrameHeader.PADDED_START);
        in.limit((int) Math.min(in.capacity(), wanted));
        return takes;
    }

    /**
     * Reads and dispatches whatever the socket has now.
     *
     * @return true when any byte was consumed
     */
    boolean readFrom(Link link) throws IOException {
        boolean moved = false;
        while (true) {
            // The second connection while inside a message announced for it, else the first (may change per frame).
            ByteBuffer in = link.inbound();
            if (link.pendingRecvs == 0 && link.sendQueue.isEmpty() && !awaitsAcknowledgement(link)) {
                // Owed nothing more: leave later messages in the socket (TCP holds them, flow control applies)
                // rather than pulling them into heap buffers that the next call would copy again.
                return moved;
            }
            if (link.payloadRemaining > 0) {
                ByteBuffer target = payloadTarget(link.payloadInbox);
                if (in.hasRemaining()) {
                    int n = Math.min(in.remaining(), link.payloadRemaining);
                    int savedLimit = in.limit();
                    in.limit(in.position() + n);
                    target.put(in);
                    in.limit(savedLimit);
                    link.payloadRemaining -= n;
                    moved = true;
                    if (link.payloadRemaining == 0) {
                        finishFrame(link);
                    }
                    continue;
                }
                if (link.payloadRemaining >= Link.DIRECT_READ_MIN_BYTES) {
                    int savedLimit = target.limit();
                    target.limit(target.position() + link.payloadRemaining);
                    int n;
                    try {
                        n = link.inboundIo().read(target);
                    } finally {
                        // Also when the read fails: a healed link goes on filling this message from the relay.
                        target.limit(savedLimit);
                    }
                    if (n < 0) {
                        link.peerClosed = true;
                        return moved;
                    }
                    if (n == 0) {
                        return moved;
                    }
                    received(link, n);
                    link.payloadRemaining -= n;
                    moved = true;
                    if (link.payloadRemaining == 0) {
                        finishFrame(link);
                    }
                    continue;
                }
            } else if (in.remaining() >= FrameHeader.SIZE && parseHeader(link)) {
                moved = true;
                continue;
            }
            in.compact();
            boolean tookReadAhead = limitRefill(in, link);
            int n = link.inboundIo().read(in);
            in.flip();
            if (n == 0 && tookReadAhead) {
                readAheadLeft = true; // nothing came: the next link that refills may have it
            }
            if (n < 0) {
                // Not an error yet: the peer may have sent all we need and left. The transport decides.
                link.peerClosed = true;
                return moved;
            }
            if (n == 0) {
                return moved;
            }
            received(link, n);
            link.bytesBuffered += n;
            moved = true;
        }
    }

    private static void received(Link link, int n) {
        link.bytesReceived += n;
    }

    /**
     * A healing link that only ever sends (one direction of a ring) would never read its peer's acknowledgements,
     * and its copies would grow without end: past a few acknowledgement intervals it reads on.
     */
    private static boolean awaitsAcknowledgement(Link link) {
        return link.log != null && link.log.retained() >= 4 * ACK_EVERY_BYTES;
    }

    /**
     * Parses the header at the read position; false when its padding, or the body of an acknowledgement, is not yet
     * wholly buffered.
     */
    private boolean parseHeader(Link link) {
        ByteBuffer in = link.inbound();
        int at = in.position();
        String problem = FrameHeader.problem(in, at, maxFrame);
        if (problem != null) {
            throw new FmiException("malformed data frame on " + link.description + " (job '" + jobId + "', rank "
                    + rank + "): " + problem);
        }
        int src = FrameHeader.src(in, at);
        int dst = FrameHeader.dst(in, at);
        if (src < 0 || src >= size || (link.fixedPeer >= 0 && src != link.fixedPeer) || dst != rank) {
            throw new FmiException("misrouted data frame on " + link.description + " (job '" + jobId + "', rank "
                    + rank + "): " + FrameHeader.describe(in, at));
        }
        OpCode op = OpCode.fromCode(FrameHeader.opCode(in, at));
        if (op == OpCode.ACK) {
            return takeAcknowledgement(link, at);
        }
        if (op == OpCode.NEXT_ON_SECOND) {
            if (link.second == null || link.second.sends || link.second.reading || in != link.in
                    || FrameHeader.length(in, at) != 0) {
                throw new FmiException("unexpected " + op.displayName() + " frame on " + link.description + " (job '"
                        + jobId + "', rank " + rank + "): " + FrameHeader.describe(in, at));
            }
            in.position(at + FrameHeader.SIZE);
            link.second.reading = true;
            return true;
        }
        int pad = FrameHeader.pad(in, at);
        if (in.remaining() < FrameHeader.SIZE + pad) {
            return false; // the padding goes with the header: read on until it is buffered
        }
        int tag = FrameHeader.tag(in, at);
        int length = FrameHeader.payloadLength(in, at);
        int total = FrameHeader.total(in, at);
        boolean last = FrameHeader.isLast(in, at);
        in.position(at + FrameHeader.SIZE + pad);

        PeerInbox inbox = inboxes[src];
        if (inbox.arrivingInto == null && inbox.arrivingUnexpected == null) {
            startMessage(inbox, op, tag, total);
        } else if (!continues(inbox, op, tag)) {
            throw new FmiException("rank " + src + " interleaved messages on " + link.description + " (job '"
                    + jobId + "'): got " + FrameHeader.describe(in, at) + " before the previous message ended");
        }
        ByteBuffer target = payloadTarget(inbox);
        if (length > target.remaining()) {
            throw new FmiException("rank " + src + " sent more bytes than its message total on " + link.description
                    + " (job '" + jobId + "')");
        }
        link.payloadInbox = inbox;
        link.payloadRemaining = length;
        link.payloadLength = length;
        link.payloadLast = last;
        if (length == 0) {
            finishFrame(link);
        }
        return true;
    }

    /**
     * Applies an acknowledgement frame (header and an 8-byte stream offset): the peer took everything this rank sent
     * before that offset, so the copies can go. On the relay (a healed pair's resent stream) it is only skipped.
     */
    private boolean takeAcknowledgement(Link link, int at) {
        ByteBuffer in = link.in;
        if (FrameHeader.length(in, at) != Long.BYTES) {
            throw new FmiException("malformed acknowledgement on " + link.description + " (job '" + jobId
                    + "', rank " + rank + "): " + FrameHeader.describe(in, at));
        }
        if (in.remaining() < FrameHeader.SIZE + Long.BYTES) {
            return false;
        }
        long taken = in.getLong(at + FrameHeader.SIZE);
        in.position(at + FrameHeader.SIZE + Long.BYTES);
        if (link.log != null) {
            if (taken < link.log.start() || taken > link.log.end()) {
                throw new FmiException("rank " + link.fixedPeer + " acknowledged byte " + taken + " on "
                        + link.description + " (job '" + jobId + "'), outside the unacknowledged bytes "
                        + link.log.start() + ".." + link.log.end());
            }
            link.log.release(taken);
            frameTaken(link);
        }
        return true;
    }

    /** Bookkeeping after any whole inbound frame on a healing link: where the stream stands, and whether to ack. */
    private void frameTaken(Link link) {
        link.takenOffset = link.bytesReceived - link.in.remaining();
        if (++link.framesSinceAck >= ACK_EVERY_FRAMES || link.takenOffset - link.ackedOffset >= ACK_EVERY_BYTES) {
            acks.acknowledge(link);
        }
    }

    /**
     * Forgets the partly read inbound frame of a failed link (its bytes are taken back out of the receive buffer)
     * and whatever the link had buffered: the peer resends from {@link Link#takenOffset}, a frame boundary.
     */
    void abandonPartialFrame(Link link) {
        if (link.payloadRemaining > 0) {
            ByteBuffer target = payloadTarget(link.payloadInbox);
            target.position(target.position() - (link.payloadLength - link.payloadRemaining));
            link.payloadRemaining = 0;
        }
        link.in.clear().flip();
    }

    private void startMessage(PeerInbox inbox, OpCode op, int tag, int total) {
        inbox.arrivingTotal = total;
        RecvRequest posted = inbox.posted;
        if (posted != null && posted.matches(op, tag)) {
            boolean fits = posted.allowShorter ? total <= posted.expected : total == posted.expected;
            if (!fits) {
                throw new CollectiveMismatchException(String.format(
                        "size mismatch in %s (job '%s'): rank %d sent %d bytes, rank %d (this process) expected %s%d",
                        op.displayName(), jobId, inbox.peer, total, rank, posted.allowShorter ? "at most " : "",
                        posted.expected));
            }
            inbox.arrivingInto = posted;
            return;
        }
        if (posted != null && posted.tag == tag && posted.op != op && op != OpCode.SEND_RECV
                && posted.op != OpCode.SEND_RECV) {
            throw new CollectiveMismatchException(String.format(
                    "collective mismatch in job '%s' (call #%d): rank %d called %s (sent %d bytes) while rank %d "
                            + "(this process) called %s (expecting %d bytes)",
                    jobId, Tags.callOf(tag), inbox.peer, op.displayName(), total, rank, posted.op.displayName(),
                    posted.expected));
        }
        inbox.arrivingUnexpected = inbox.obtain(op, tag, total);
    }

    private static boolean continues(PeerInbox inbox, OpCode op, int tag) {
        if (inbox.arrivingInto != null) {
            return inbox.arrivingInto.matches(op, tag);
        }
        return inbox.arrivingUnexpected.op == op && inbox.arrivingUnexpected.tag == tag;
    }

    private static ByteBuffer payloadTarget(PeerInbox inbox) {
        return inbox.arrivingInto != null ? inbox.arrivingInto.dest : inbox.arrivingUnexpected.data;
    }

    private void finishFrame(Link link) {
        if (link.log != null) {
            frameTaken(link);
        }
        if (!link.payloadLast) {
            return;
        }
        if (link.readingSecond()) {
            link.second.reading = false; // the announced message is whole: back to the first connection
        }
        PeerInbox inbox = link.payloadInbox;
        if (inbox.arrivingInto != null) {
            RecvRequest r = inbox.arrivingInto;
            r.received = r.dest.position() - r.startPosition;
            checkComplete(link, inbox, r.received);
            r.done = true;
            inbox.arrivingInto = null;
            inbox.posted = null;
            link.pendingRecvs--;
            return;
        }
        UnexpectedMessage m = inbox.arrivingUnexpected;
        checkComplete(link, inbox, m.data.position());
        inbox.arrivingUnexpected = null;
        m.data.flip();
        inbox.early.addLast(m);
        RecvRequest posted = inbox.posted;
        if (posted != null && posted.matches(m.op, m.tag) && deliverEarly(inbox, posted)) {
            link.pendingRecvs--;
        }
    }

    /** A frame marked last must end its message at the size every frame of it announced; never deliver less. */
    private void checkComplete(Link link, PeerInbox inbox, int received) {
        if (received != inbox.arrivingTotal) {
            throw new FmiException("rank " + inbox.peer + " ended a message of " + inbox.arrivingTotal
                    + " bytes after " + received + " on " + link.description + " (job '" + jobId + "', rank " + rank
                    + "): its last frame came early");
        }
    }

    /** Completes {@code r} from an early message, if one matches. Returns true when it did. */
    boolean deliverEarly(PeerInbox inbox, RecvRequest r) {
        UnexpectedMessage m = inbox.takeEarly(r.op, r.tag);
        if (m == null) {
            return false;
        }
        int total = m.data.remaining();
        boolean fits = r.allowShorter ? total <= r.expected : total == r.expected;
        if (!fits) {
            throw new CollectiveMismatchException(String.format(
                    "size mismatch in %s (job '%s'): rank %d sent %d bytes, rank %d (this process) expected %s%d",
                    r.op.displayName(), jobId, inbox.peer, total, rank, r.allowShorter ? "at most " : "", r.expected));
        }
        r.dest.put(m.data);
        inbox.recycle(m);
        r.received = total;
        r.done = true;
        if (inbox.posted == r) {
            inbox.posted = null;
        }
        return true;
    }

    /** The error for a link whose peer closed while this rank still needed it. */
    PeerFailureException closedByPeer(Link link) {
        boolean midFrame = link.payloadRemaining > 0 || link.inbound().hasRemaining();
        String suffix = midFrame ? " in the middle of a frame" : "";
        if (link.fixedPeer < 0) {
            return new PeerFailureException("the rendezvous server closed the relay connection" + suffix + " (job '"
                    + jobId + "', rank " + rank + ")", -1);
        }
        return new PeerFailureException("rank " + link.fixedPeer + " closed its connection" + suffix + " ("
                + link.description + ", job '" + jobId + "', rank " + rank + " is this process)", link.fixedPeer);
    }
}
