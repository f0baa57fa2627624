package io.jfmi.core.wire;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte stream under a {@link Link}: the socket itself, or a layer that seals what crosses it (TLS to the
 * server's relay, AES-GCM records on direct links). Non-blocking like the socket: calls take what they can now.
 */
public interface LinkIo {
    /** Plaintext bytes read into {@code dst}; 0 when none is available now; -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Plaintext bytes taken from {@code srcs}; 0 when nothing can be taken now. A sealing layer may take bytes
     * before they reach the socket: see {@link #flush()}.
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Pushes out bytes this layer holds for the socket; true when none is left. */
    boolean flush() throws IOException;

    /** Closes the connection (without a closing handshake: links end on failure or at close). */
    void close() throws IOException;

    /** What protects the bytes on the wire, for logs: "plain", "AES-128-GCM", "TLSv1.3 ...". */
    String protection();
}
