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
    /** Already framed bytes (a healed link's unacknowledged stream, resent over the relay): written as they are. */
    boolean raw;
    /** The connection was chosen (at the message's first write); {@link #onSecond}: the link's second one. */
    boolean routed;
    boolean onSecond;

    /** A request carrying frames that were already written once, to be written again unchanged. */
    static SendRequest resend(int peer, byte[] frames) {
        SendRequest r = new SendRequest();
        r.peer = peer;
        r.data = ByteBuffer.wrap(frames);
        r.total = frames.length;
        r.raw = true;
        return r;
    }

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
        this.raw = false;
        this.routed = false;
        this.onSecond = false;
    }
}
