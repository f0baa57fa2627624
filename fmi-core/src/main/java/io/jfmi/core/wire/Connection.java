package io.jfmi.core.wire;

import java.nio.channels.SocketChannel;

/** A connected socket and the byte stream the data path uses over it (the socket itself or a sealing layer). */
public record Connection(SocketChannel channel, LinkIo io) {
}
