package io.jfmi.core.collective;

import java.nio.ByteBuffer;

/** Copies between buffers by absolute offsets, leaving positions alone; the one local data move collectives make. */
final class LocalCopy {
    private LocalCopy() {
    }

    static void copy(ByteBuffer from, int fromOffset, ByteBuffer to, int toOffset, int length) {
        if (length == 0 || (from == to && fromOffset == toOffset)) {
            return;
        }
        to.put(toOffset, from, fromOffset, length);
    }
}
