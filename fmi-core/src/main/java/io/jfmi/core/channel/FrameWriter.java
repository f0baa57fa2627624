package io.jfmi.core.channel;

import io.jfmi.core.wire.LinkIo;
import io.jfmi.protocol.FrameHeader;
import io.jfmi.protocol.OpCode;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes queued messages of one link as frames of at most {@code maxSegment} payload bytes, without copying; on a
 * link with a {@link SecondConnection} the dialer's large messages go there, each announced on the first.
 */
final class FrameWriter {
    private final int rank;
    private final int comm;
    private final int maxSegment;
    /**
     * Payloads this large, which readers take straight into place, start {@link FrameHeader#PADDED_START} bytes into
     * their frame (see {@link FrameHeader}); smaller ones follow the header at once.
     */
    static final int PADDED_MIN_PAYLOAD = Link.DIRECT_READ_MIN_BYTES;

    FrameWriter(int rank, int comm, int maxSegment) {
        this.rank = rank;
        this.comm = comm;
        this.maxSegment = maxSegment;
    }

    /**
     * Writes as much as the socket takes now: a pending acknowledgement first (between frames), then messages.
     *
     * @return true when any byte was written
     */
    boolean writeTo(Link link) throws IOException {
        boolean moved = false;
        ByteBuffer[] gather = link.gather;
        while (true) {
            if (!link.io.flush() || (link.second != null && link.second.sends && !link.second.io.flush())) {
                // A sealing layer still holds bytes for the socket: a frame counts as sent only once they left.
                return moved;
            }
            closeFinishedFrame(link);
            SendRequest r = link.sendQueue.peek();
            if (link.ackOut.hasRemaining() && (r == null || !r.frameOpen)) {
                if (link.ackOut.position() == 0) {
                    link.unitStart = link.bytesSent;
                }
                gather[0] = link.ackOut;
                if (!write(link, link.io, gather, 1)) {
                    return moved;
                }
                moved = true;
                continue;
            }
            if (r == null) {
                return moved;
            }
            if (r.raw) {
                gather[0] = r.data;
                if (!write(link, link.io, gather, 1)) {
                    return moved;
                }
                moved = true;
                if (!r.data.hasRemaining()) {
                    r.done = true;
                    link.sendQueue.poll();
                }
                continue;
            }
            if (!r.routed) {
                route(link, r);
                if (!r.onSecond && link.sendBuffers != null) {
                    link.sendBuffers.beforeMessage(r.total);
                }
            }
            if (r.onSecond && link.second.marker.hasRemaining()) {
                gather[0] = link.second.marker;
                if (!write(link, link.io, gather, 1)) {
                    return moved;
                }
                moved = true;
                continue;
            }
            LinkIo io = r.onSecond ? link.second.io : link.io;
            ByteBuffer data = r.data;
            if (!r.frameOpen) {
                openFrame(link, r, data);
            }
            int savedLimit = data.limit();
            data.limit(link.frameEnd);
            boolean wrote;
            try {
                if (link.headerOut.hasRemaining()) {
                    gather[0] = link.headerOut;
                    gather[1] = data;
                    wrote = write(link, io, gather, data.hasRemaining() ? 2 : 1);
                } else {
                    gather[0] = data;
                    wrote = write(link, io, gather, 1);
                }
            } finally {
                // Also when the write fails: a healed link sends the rest of this message over the relay, and a
                // limit left at this frame's end would make the frame it resends the message's last.
                data.limit(savedLimit);
            }
            if (!wrote) {
                return moved;
            }
            moved = true;
        }
    }

    /**
     * Chooses the connection of a message about to start; a large one on the dialer's side of a link with two gets
     * its announcement ready, to be written on the first connection before the message goes on the second.
     */
    private void route(Link link, SendRequest r) {
        r.routed = true;
        r.onSecond = link.second != null && link.second.takes(r.total);
        if (r.onSecond) {
            ByteBuffer m = link.second.marker;
            m.clear();
            FrameHeader.write(m, 0, FrameHeader.FLAG_LAST, OpCode.NEXT_ON_SECOND, comm, rank, r.peer, r.tag, 0, 0);
            m.limit(FrameHeader.SIZE);
        }
    }

    /**
     * Writes {@code gather[0..count)} to {@code io}; a healing link keeps a copy of what went out. False when nothing
     * did.
     */
    private static boolean write(Link link, LinkIo io, ByteBuffer[] gather, int count) throws IOException {
        SendLog log = link.log;
        int p0 = gather[0].position();
        int p1 = count > 1 ? gather[1].position() : 0;
        long n = io.write(gather, 0, count);
        if (n == 0) {
            return false;
        }
        link.bytesSent += n;
        if (log != null) {
            link.wroteSinceClock = true;
            log.append(gather[0], p0, gather[0].position() - p0);
            if (count > 1) {
                log.append(gather[1], p1, gather[1].position() - p1);
            }
        }
        return true;
    }

    /** Completes the head request's frame once its header and payload are out; the message once its last is. */
    static void closeFinishedFrame(Link link) {
        SendRequest r = link.sendQueue.peek();
        if (r != null && r.frameOpen && !link.headerOut.hasRemaining() && r.data.position() == link.frameEnd) {
            r.frameOpen = false;
            if (link.frameLast) {
                r.done = true;
                link.sendQueue.poll();
            }
        }
    }

    /**
     * Forgets the head request's partly written frame, so that it goes out again whole (on the relay, after its link
     * failed); a finished one is closed first. Returns whether a frame was open.
     */
    static boolean reopenFrame(Link link) {
        closeFinishedFrame(link);
        link.headerOut.clear().limit(0);
        SendRequest head = link.sendQueue.peek();
        if (head == null || !head.frameOpen) {
            return false;
        }
        head.data.position(link.frameStart);
        head.frameOpen = false;
        return true;
    }

    private void openFrame(Link link, SendRequest r, ByteBuffer data) {
        int segment = Math.min(data.remaining(), maxSegment);
        boolean last = segment == data.remaining();
        ByteBuffer h = link.headerOut;
        h.clear();
        int pad = segment >= PADDED_MIN_PAYLOAD ? FrameHeader.PAD : 0;
        FrameHeader.write(h, 0, last ? FrameHeader.FLAG_LAST : 0, r.op, comm, rank, r.peer, r.tag, pad, pad + segment,
                r.total);
        h.limit(FrameHeader.SIZE + pad); // headerOut's bytes past the header are never written: zero
        link.unitStart = link.bytesSent;
        link.frameStart = data.position();
        link.frameEnd = data.position() + segment;
        link.frameLast = last;
        r.frameOpen = true;
    }

    /** Queues an acknowledgement of everything taken from the peer so far (replacing one not yet started). */
    void acknowledge(Link link) {
        ByteBuffer a = link.ackOut;
        if (link.acknowledgementsRefused) {
            return;
        }
        if (a.hasRemaining() && a.position() > 0) {
            return; // half written: the next frame taken will ask again
        }
        a.clear();
        FrameHeader.write(a, 0, FrameHeader.FLAG_LAST, OpCode.ACK, comm, rank, link.fixedPeer, 0, Long.BYTES,
                Long.BYTES);
        a.putLong(FrameHeader.SIZE, link.takenOffset);
        a.limit(FrameHeader.SIZE + Long.BYTES);
        link.ackedOffset = link.takenOffset;
        link.framesSinceAck = 0;
    }
}
