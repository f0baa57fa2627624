package io.jfmi.core.channel;

import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/** One outgoing message, owned by an {@link Exchange} and reused across calls. */
final class SendRequest {
    int peer;
    OpCode op;
    int tag;
    /** A private view of the caller's buffer; position..limit is what remains to send. */
    ByteBuffer data;
    private ByteBuffer viewSource;
    int total;
    boolean done;
    /** True while the current frame (header and payload) is being written. */
    boolean frameOpen;

    void set(int peer, OpCode op, int tag, ByteBuffer source, int offset, int length) {
        this.peer = peer;
        this.op = op;
        this.tag = tag;
        if (viewSource != source) {
            data = source.duplicate();
            viewSource = source;
        }
        data.limit(offset + length).position(offset);
        this.total = length;
        this.done = false;
        this.frameOpen = false;
    }
}
