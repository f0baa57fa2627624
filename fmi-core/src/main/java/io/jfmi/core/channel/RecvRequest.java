package io.jfmi.core.channel;

import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/** One expected incoming message, owned by an {@link Exchange} and reused across calls. */
final class RecvRequest {
    int peer;
    OpCode op;
    int tag;
    /** A private view of the caller's buffer; bytes land at position, which advances up to limit. */
    ByteBuffer dest;
    private ByteBuffer viewSource;
    int startPosition;
    int expected;
    /** Point-to-point receives accept a shorter message; collectives require the exact size. */
    boolean allowShorter;
    int received;
    boolean done;

    void set(int peer, OpCode op, int tag, ByteBuffer target, int offset, int length, boolean allowShorter) {
        this.peer = peer;
        this.op = op;
        this.tag = tag;
        if (viewSource != target) {
            dest = target.duplicate();
            viewSource = target;
        }
        dest.limit(offset + length).position(offset);
        this.startPosition = offset;
        this.expected = length;
        this.allowShorter = allowShorter;
        this.received = 0;
        this.done = false;
    }

    boolean matches(OpCode frameOp, int frameTag) {
        return op == frameOp && tag == frameTag;
    }
}
