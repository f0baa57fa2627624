package io.jfmi.core.channel;

import io.jfmi.protocol.OpCode;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Receive-side state for one peer: the posted receive (at most one at a time), the message currently arriving,
 * and messages that arrived early. Frames of one message from one peer are contiguous on the wire.
 */
final class PeerInbox {
    final int peer;
    RecvRequest posted;
    /** Non-null while a message's frames are arriving into the posted receive. */
    RecvRequest arrivingInto;
    /** Non-null while a message's frames are arriving into an unexpected buffer. */
    UnexpectedMessage arrivingUnexpected;
    final ArrayDeque<UnexpectedMessage> early = new ArrayDeque<>();

    PeerInbox(int peer) {
        this.peer = peer;
    }

    /** Removes and returns the first complete early message with this op and tag, or null. */
    UnexpectedMessage takeEarly(OpCode op, int tag) {
        for (Iterator<UnexpectedMessage> it = early.iterator(); it.hasNext();) {
            UnexpectedMessage m = it.next();
            if (m.op == op && m.tag == tag) {
                it.remove();
                return m;
            }
        }
        return null;
    }
}
