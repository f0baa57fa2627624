package io.jfmi.rendezvous.relay;

import io.jfmi.protocol.proto.ControlMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/** What a relay connection needs of its job; the job implements it, so relay code does not depend on job code. */
public interface RelayedJob {
    String id();

    int worldSize();

    /** The relay channel of {@code dst}, or null after holding the frame and pausing its sender until dst attaches. */
    Channel routeOrHold(int dst, ByteBuf frame, Channel sender);

    /** Tells {@code rank} of an error over its control connection. */
    void reportError(int rank, ControlMessage error);
}
