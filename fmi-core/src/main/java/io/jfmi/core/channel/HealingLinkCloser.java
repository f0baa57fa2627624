package io.jfmi.core.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Closes healing links without destroying their last bytes. A healing link receives acknowledgements its owner
 * never reads; closing a socket with unread input makes the kernel answer with a reset and drop whatever output it
 * has not delivered yet, so a rank that finished first could erase its own last message to a slower peer (seen in
 * CI as a broken pipe on the peer, mid-allreduce). Instead the output is ended (the peer reads everything, then end
 * of stream), input is read and discarded until the peer ends its side too, then the socket closes. The caller waits
 * for that at most {@link #DRAIN_BUDGET_NANOS}; links whose peers are slower are drained on a daemon thread for up to
 * {@link #LINGER_NANOS} more, because closing them then would turn the peer's next acknowledgement into a reset that
 * drops whatever of our output its kernel has not received yet (measured: a receiver that started reading 1.5 s
 * after the sender closed lost messages in 1 of 3 runs on a loaded machine).
 */
final class HealingLinkCloser {
    /** How long a closing rank waits for peers that have not closed yet. */
    static final long DRAIN_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long links still open after that budget are drained in the background before they close anyway. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(60);

    private HealingLinkCloser() {
    }

    /**
     * Ends, drains and closes every link in {@code links} that heals and has not failed; leaves the others. Returns
     * the links still draining in the background, which the caller must not close.
     */
    static Set<Link> closeAll(List<Link> links) {
        long deadline = System.nanoTime() + DRAIN_BUDGET_NANOS;
        List<Link> draining = new ArrayList<>();
        for (Link l : links) {
            if (l.heals() && l.channel.isOpen() && endOutput(l, deadline)) {
                draining.add(l);
            }
        }
        if (draining.isEmpty()) {
            return Set.of();
        }
        if (drainAll(draining, deadline)) {
            List<Link> slow = new ArrayList<>();
            for (Link l : draining) {
                if (l.channel.isOpen()) {
                    slow.add(l);
                }
            }
            if (!slow.isEmpty()) {
                Thread t = new Thread(() -> closeWhenDrained(slow, System.nanoTime() + LINGER_NANOS),
                        "jfmi-healing-linger");
                t.setDaemon(true);
                t.start();
                return Set.copyOf(slow);
            }
        }
        closeAllQuietly(draining);
        return Set.of();
    }

    /** Drains until every link's peer ended its side or the deadline; false when it could not wait at all. */
    private static boolean drainAll(List<Link> draining, long deadline) {
        try (Selector selector = Selector.open()) {
            for (Link l : draining) {
                if (l.channel.isOpen()) {
                    l.channel.register(selector, SelectionKey.OP_READ, l);
                }
            }
            drain(selector, draining, deadline);
            return true;
        } catch (IOException | ClosedSelectorException e) {
            return false; // could not wait: close at once, as before this class existed
        }
    }

    private static void closeWhenDrained(List<Link> slow, long deadline) {
        drainAll(slow, deadline);
        closeAllQuietly(slow);
    }

    private static void closeAllQuietly(List<Link> links) {
        for (Link l : links) {
            l.closeQuietly();
        }
    }

    /** Pushes out what a sealing layer still holds, then half-closes; false when the link is already gone. */
    private static boolean endOutput(Link l, long deadline) {
        try {
            while (!l.io.flush()) {
                if (System.nanoTime() > deadline) {
                    break;
                }
                Thread.onSpinWait();
            }
            l.channel.shutdownOutput();
            return true;
        } catch (IOException e) {
            l.closeQuietly();
            return false;
        }
    }

    private static void drain(Selector selector, List<Link> draining, long deadline) throws IOException {
        ByteBuffer sink = ByteBuffer.allocateDirect(Link.READ_BUFFER_BYTES);
        int open = selector.keys().size();
        while (open > 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            selector.select(left);
            for (SelectionKey key : selector.selectedKeys()) {
                Link l = (Link) key.attachment();
                if (discardAvailable(l, sink)) {
                    key.cancel();
                    l.closeQuietly();
                    open--;
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** Reads and drops what has arrived; true once the peer has ended its side (or the link broke). */
    private static boolean discardAvailable(Link l, ByteBuffer sink) {
        try {
            while (true) {
                sink.clear();
                int n = l.channel.read(sink);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
            }
        } catch (IOException e) {
            return true;
        }
    }
}
