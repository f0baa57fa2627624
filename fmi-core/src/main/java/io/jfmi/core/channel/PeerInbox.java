package io.jfmi.core.channel;

import io.jfmi.protocol.OpCode;
import java.util.ArrayDeque;

/**
 * Receive-side state for one peer: the posted receive (at most one at a time), the message currently arriving,
 * and messages that arrived early. Frames of one message from one peer are contiguous on the wire.
 */
final class PeerInbox {
    /** Early-message buffers kept for reuse per peer: enough for the rounds of any one collective in flight. */
    static final int POOLED_MESSAGES = 8;
    /** Larger early messages are not kept: one huge message must not pin its memory for the life of the job. */
    static final int POOLED_MAX_BYTES = 4 << 20;

    final int peer;
    RecvRequest posted;
    /** Non-null while a message's frames are arriving into the posted receive. */
    RecvRequest arrivingInto;
    /** Non-null while a message's frames are arriving into an unexpected buffer. */
    UnexpectedMessage arrivingUnexpected;
    /** The size the arriving message's frames announce: its last frame must complete exactly this many bytes. */
    int arrivingTotal;
    final ArrayDeque<UnexpectedMessage> early = new ArrayDeque<>();
    private final ArrayDeque<UnexpectedMessage> pool = new ArrayDeque<>();

    PeerInbox(int peer) {
        this.peer = peer;
    }

    /** A holder for an early message of {@code total} bytes: a pooled one that fits, else a new one. */
    UnexpectedMessage obtain(OpCode op, int tag, int total) {
        for (int i = pool.size(); i > 0; i--) {
            UnexpectedMessage m = pool.pollFirst();
            if (m.data.capacity() >= total) {
                return m.reset(op, tag, total);
            }
            pool.addLast(m);
        }
        int capacity = total <= 64 ? 64 : total < (1 << 30) ? Integer.highestOneBit(total - 1) << 1 : total;
        return new UnexpectedMessage(capacity).reset(op, tag, total);
    }

    /** Returns a delivered early message's holder to the pool (or drops it when large or the pool is full). */
    void recycle(UnexpectedMessage m) {
        if (pool.size() < POOLED_MESSAGES && m.data.capacity() <= POOLED_MAX_BYTES) {
            pool.addLast(m);
        }
    }

    /** Removes and returns the first complete early message with this op and tag, or null. */
    UnexpectedMessage takeEarly(OpCode op, int tag) {
        for (int i = early.size(); i > 0; i--) { // rotate instead of iterating: no iterator object per call
            UnexpectedMessage m = early.pollFirst();
            if (m.op == op && m.tag == tag) {
                for (int j = i - 1; j > 0; j--) {
                    early.addLast(early.pollFirst()); // restore arrival order of the rest
                }
                return m;
            }
            early.addLast(m);
        }
        return null;
    }
}
