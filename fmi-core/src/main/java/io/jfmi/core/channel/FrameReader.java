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

    FrameReader(int rank, int size, int maxFrame, PeerInbox[] inboxes, String jobId) {
        this.rank = rank;
        this.size = size;
        this.maxFrame = maxFrame;
        this.inboxes = inboxes;
        this.jobId = jobId;
    }

    /**
     * Reads and dispatches whatever the socket has now.
     *
     * @return true when any byte was consumed
     */
    boolean readFrom(Link link) throws IOException {
        boolean moved = false;
        ByteBuffer in = link.in;
        while (true) {
            if (link.pendingRecvs == 0 && link.sendQueue.isEmpty()) {
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
                if (link.payloadRemaining >= Link.READ_BUFFER_BYTES / 2) {
                    int savedLimit = target.limit();
                    target.limit(target.position() + link.payloadRemaining);
                    int n = link.io.read(target);
                    target.limit(savedLimit);
                    if (n < 0) {
                        link.peerClosed = true;
                        return moved;
                    }
                    if (n == 0) {
                        return moved;
                    }
                    link.bytesReceived += n;
                    link.payloadRemaining -= n;
                    moved = true;
                    if (link.payloadRemaining == 0) {
                        finishFrame(link);
                    }
                    continue;
                }
            } else if (in.remaining() >= FrameHeader.SIZE) {
                parseHeader(link);
                moved = true;
                continue;
            }
            in.compact();
            int n = link.io.read(in);
            in.flip();
            if (n < 0) {
                // Not an error yet: the peer may have sent all we need and left. The transport decides.
                link.peerClosed = true;
                return moved;
            }
            if (n == 0) {
                return moved;
            }
            link.bytesReceived += n;
            moved = true;
        }
    }

    private void parseHeader(Link link) {
        ByteBuffer in = link.in;
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
        int tag = FrameHeader.tag(in, at);
        int length = FrameHeader.length(in, at);
        int total = FrameHeader.total(in, at);
        boolean last = FrameHeader.isLast(in, at);
        in.position(at + FrameHeader.SIZE);

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
        link.payloadLast = last;
        if (length == 0) {
            finishFrame(link);
        }
    }

    private void startMessage(PeerInbox inbox, OpCode op, int tag, int total) {
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
        if (!link.payloadLast) {
            return;
        }
        PeerInbox inbox = link.payloadInbox;
        if (inbox.arrivingInto != null) {
            RecvRequest r = inbox.arrivingInto;
            r.received = r.dest.position() - r.startPosition;
            r.done = true;
            inbox.arrivingInto = null;
            inbox.posted = null;
            link.pendingRecvs--;
            return;
        }
        UnexpectedMessage m = inbox.arrivingUnexpected;
        inbox.arrivingUnexpected = null;
        m.data.flip();
        inbox.early.addLast(m);
        RecvRequest posted = inbox.posted;
        if (posted != null && posted.matches(m.op, m.tag) && deliverEarly(inbox, posted)) {
            link.pendingRecvs--;
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
        String suffix = link.payloadRemaining > 0 || link.in.hasRemaining() ? " in the middle of a frame" : "";
        if (link.fixedPeer < 0) {
            return new PeerFailureException("the rendezvous server closed the relay connection" + suffix + " (job '"
                    + jobId + "', rank " + rank + ")", -1);
        }
        return new PeerFailureException("rank " + link.fixedPeer + " closed its connection" + suffix + " ("
                + link.description + ", job '" + jobId + "', rank " + rank + " is this process)", link.fixedPeer);
    }
}
