package io.jfmi.rendezvous.control;

import io.jfmi.rendezvous.ConnectionLimits;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Server-wide counts of open connections per address and of handshakes in progress, against their limits. */
public final class ConnectionCounters {
    private final ConnectionLimits limits;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger pendingHandshakes = new AtomicInteger();

    public ConnectionCounters(ConnectionLimits limits) {
        this.limits = limits;
    }

    /** A limit a new connection breaks: the metrics kind, and the message the client gets. */
    record Breach(String kind, String message) {
    }

    /** Counts a new connection; returns the limit it breaks (it is counted all the same), or null. */
    Breach opened(InetAddress from) {
        int open = perAddress.computeIfAbsent(from, a -> new AtomicInteger()).incrementAndGet();
        int pending = pendingHandshakes.incrementAndGet();
        if (open > limits.perAddress()) {
            return new Breach("limit_connections_per_address", open + " connections from " + from.getHostAddress()
                    + " exceed --max-connections-per-address " + limits.perAddress());
        }
        if (pending > limits.pendingHandshakes()) {
            return new Breach("limit_pending_handshakes", pending + " handshakes in progress exceed "
                    + "--max-pending-handshakes " + limits.pendingHandshakes());
        }
        return null;
    }

    void handshakeEnded() {
        pendingHandshakes.decrementAndGet();
    }

    void closed(InetAddress from) {
        perAddress.computeIfPresent(from, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    public int pendingHandshakes() {
        return pendingHandshakes.get();
    }
}
