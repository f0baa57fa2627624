package io.jfmi.core.wire;

import java.nio.ByteBuffer;

/** Byte moves the sealing layers share. */
final class Buffers {
    private Buffers() {
    }

    /** Moves as many bytes as fit from {@code from} to {@code to}; returns how many. */
    static int copy(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        int savedLimit = from.limit();
        from.limit(from.position() + n);
        to.put(from);
        from.limit(savedLimit);
        return n;
    }
}
