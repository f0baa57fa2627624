package io.jfmi.core.channel;

import io.jfmi.core.SendBufferSizes;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Sets a link's SO_SNDBUF for the message it is about to start, by its size, and only when that changes the
 * buffer: one system call per change between small and large messages, none while the kind stays. The kernel
 * applies a smaller buffer to the bytes queued next (those already queued stay), so a switch never loses data.
 */
final class SendBufferSwitch {
    private final SocketChannel channel;
    private final SendBufferSizes sizes;
    private int current;

    /** @param current the buffer the socket has now */
    SendBufferSwitch(SocketChannel channel, SendBufferSizes sizes, int current) {
        this.channel = channel;
        this.sizes = sizes;
        this.current = current;
    }

    void beforeMessage(long bytes) throws IOException {
        int wanted = sizes.forMessage(bytes);
        if (wanted != current) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, wanted);
            current = wanted;
        }
    }
}
