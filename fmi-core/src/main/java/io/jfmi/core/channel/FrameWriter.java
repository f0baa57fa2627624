package io.jfmi.core.channel;

import io.jfmi.protocol.FrameHeader;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Writes queued messages of one link as frames of at most {@code maxSegment} payload bytes, without copying. */
final class FrameWriter {
    private final int rank;
    private final int comm;
    private final int maxSegment;

    FrameWriter(int rank, int comm, int maxSegment) {
        this.rank = rank;
        this.comm = comm;
        this.maxSegment = maxSegment;
    }

    /**
     * Writes as much as the socket takes now.
     *
     * @return true when any byte was written
     */
    boolean writeTo(Link link) throws IOException {
        boolean moved = false;
        ByteBuffer[] gather = link.gather;
        while (!link.sendQueue.isEmpty()) {
            if (!link.io.flush()) {
                // A sealing layer still holds bytes for the socket: a frame counts as sent only once they left.
                return moved;
            }
            SendRequest r = link.sendQueue.peek();
            ByteBuffer data = r.data;
            if (r.frameOpen && !link.headerOut.hasRemaining() && data.position() == link.frameEnd) {
                r.frameOpen = false;
                if (link.frameLast) {
                    r.done = true;
                    link.sendQueue.poll();
                }
                continue;
            }
            if (!r.frameOpen) {
                openFrame(link, r, data);
            }
            int savedLimit = data.limit();
            data.limit(link.frameEnd);
            long n;
            if (link.headerOut.hasRemaining()) {
                gather[0] = link.headerOut;
                gather[1] = data;
                n = link.io.write(gather, 0, data.hasRemaining() ? 2 : 1);
            } else {
                gather[0] = data;
                n = link.io.write(gather, 0, 1);
            }
            data.limit(savedLimit);
            if (n == 0) {
                return moved;
            }
            link.bytesSent += n;
            moved = true;
        }
        return moved;
    }

    private void openFrame(Link link, SendRequest r, ByteBuffer data) {
        int segment = Math.min(data.remaining(), maxSegment);
        boolean last = segment == data.remaining();
        ByteBuffer h = link.headerOut;
        h.clear();
        FrameHeader.write(h, 0, last ? FrameHeader.FLAG_LAST : 0, r.op, comm, rank, r.peer, r.tag, segment, r.total);
        h.limit(FrameHeader.SIZE);
        link.frameEnd = data.position() + segment;
        link.frameLast = last;
        r.frameOpen = true;
    }
}
