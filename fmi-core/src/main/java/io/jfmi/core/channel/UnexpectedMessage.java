package io.jfmi.core.channel;

import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/** A message that arrived before its receive was posted; held on the heap until matched. */
final class UnexpectedMessage {
    final OpCode op;
    final int tag;
    final ByteBuffer data;

    UnexpectedMessage(OpCode op, int tag, int total) {
        this.op = op;
        this.tag = tag;
        this.data = ByteBuffer.allocate(total);
    }
}
