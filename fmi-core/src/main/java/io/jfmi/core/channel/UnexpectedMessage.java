package io.jfmi.core.channel;

import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * A message that arrived before its receive was posted, held until matched. Its buffer is reused through the
 * peer's {@link PeerInbox} pool, so early arrivals in a steady state allocate nothing.
 */
final class UnexpectedMessage {
    OpCode op;
    int tag;
    final ByteBuffer data;

    UnexpectedMessage(int capacity) {
        this.data = ByteBuffer.allocate(capacity);
    }

    /** Readies this (new or recycled) holder for a message of {@code total} bytes. */
    UnexpectedMessage reset(OpCode op, int tag, int total) {
        this.op = op;
        this.tag = tag;
        data.clear().limit(total);
        return this;
    }
}
