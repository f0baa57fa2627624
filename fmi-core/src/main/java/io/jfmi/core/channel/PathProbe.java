package io.jfmi.core.channel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes a burst through a freshly punched link in both directions before it carries data, as FMI's authors do on
 * AWS: hole-punched paths were seen to stop after 16-64 KB (a path-MTU black hole, or a NAT that drops the flow),
 * and a pair whose probe does not cross moves to the relay before the job starts instead of stalling it later.
 * Both sides send {@link #BYTES} and must read the other's {@link #BYTES} within the timeout.
 */
final class PathProbe {
    /** Part of the link protocol: both ends of a punched link send and expect exactly this many bytes. */
    static final int BYTES = 128 * 1024;
    static final int TIMEOUT_MILLIS = 3000;
    private static final byte PATTERN = 0x5A;

    private PathProbe() {
    }

    /** Null when the burst crossed both ways, else why not. The channel must be in blocking mode. */
    static String exchange(SocketChannel ch, int timeoutMillis) throws IOException {
        AtomicReference<String> writeFailure = new AtomicReference<>();
        // A write into a black hole blocks once the send buffer is full and never times out: it gets a thread of
        // its own, and closing the channel on failure ends it.
        Thread writer = new Thread(() -> {
            try {
                byte[] chunk = new byte[16 * 1024];
                Arrays.fill(chunk, PATTERN);
                for (int sent = 0; sent < BYTES; sent += chunk.length) {
                    ByteBuffer b = ByteBuffer.wrap(chunk, 0, Math.min(chunk.length, BYTES - sent));
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
            } catch (IOException e) {
                writeFailure.set(e.getMessage());
            }
        }, "jfmi-path-probe");
        writer.setDaemon(true);
        writer.start();
        long start = System.nanoTime();
        ch.socket().setSoTimeout(timeoutMillis);
        InputStream in = ch.socket().getInputStream();
        byte[] buf = new byte[16 * 1024];
        int received = 0;
        try {
            while (received < BYTES) {
                int n = in.read(buf, 0, Math.min(buf.length, BYTES - received));
                if (n < 0) {
                    return "the peer closed the link after " + received + " of " + BYTES + " probe bytes";
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] != PATTERN) {
                        return "probe byte " + (received + i) + " arrived corrupted";
                    }
                }
                received += n;
                if ((System.nanoTime() - start) / 1_000_000 > timeoutMillis) {
                    return "only " + received + " of " + BYTES + " probe bytes arrived within " + timeoutMillis + " ms";
                }
            }
            long left = Math.max(1, timeoutMillis - (System.nanoTime() - start) / 1_000_000);
            writer.join(left);
            if (writer.isAlive()) {
                return "our " + BYTES + " probe bytes did not leave within " + timeoutMillis + " ms";
            }
            return writeFailure.get() == null ? null : "sending the probe failed: " + writeFailure.get();
        } catch (java.net.SocketTimeoutException e) {
            return "only " + received + " of " + BYTES + " probe bytes arrived within " + timeoutMillis + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted during the probe";
        } finally {
            ch.socket().setSoTimeout(0);
        }
    }
}
