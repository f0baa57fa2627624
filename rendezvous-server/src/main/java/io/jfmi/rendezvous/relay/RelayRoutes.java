package io.jfmi.rendezvous.relay;

import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where relayed frames of one job go: each rank's relay connection once attached. A frame for a rank that has not
 * attached yet is held, and its sender paused, until the rank attaches; so the server holds at most one frame per
 * paused sender. Not thread-safe: the job calls it under its own lock.
 */
public final class RelayRoutes {
    private final Channel[] relays;
    private final Map<Integer, ArrayDeque<ByteBuf>> heldFrames = new HashMap<>();
    private final Map<Integer, List<Channel>> pausedForAttach = new HashMap<>();
    private final ServerMetrics metrics;

    public RelayRoutes(int worldSize, ServerMetrics metrics) {
        this.relays = new Channel[worldSize];
        this.metrics = metrics;
    }

    /** True when {@code rank} has a relay connection that is still open. */
    public boolean attached(int rank) {
        return relays[rank] != null && relays[rank].isActive();
    }

    /** Attaches {@code rank}'s relay connection; releases frames held for it and resumes their senders. */
    public void attach(int rank, Channel relay) {
        relays[rank] = relay;
        ArrayDeque<ByteBuf> held = heldFrames.remove(rank);
        if (held != null) {
            held.forEach(relay::write);
            relay.flush();
        }
        List<Channel> paused = pausedForAttach.remove(rank);
        if (paused != null) {
            paused.forEach(c -> c.config().setAutoRead(true));
        }
    }

    /** The relay channel of {@code dst}, or null after holding the frame and pausing its sender until dst attaches. */
    public Channel routeOrHold(int dst, ByteBuf frame, Channel sender) {
        if (relays[dst] != null) {
            return relays[dst];
        }
        heldFrames.computeIfAbsent(dst, d -> new ArrayDeque<>()).add(frame);
        sender.config().setAutoRead(false);
        pausedForAttach.computeIfAbsent(dst, d -> new ArrayList<>()).add(sender);
        metrics.relayPaused();
        return null;
    }

    /** Closes {@code rank}'s relay connection, if any. */
    public void close(int rank) {
        if (relays[rank] != null) {
            relays[rank].close();
        }
    }

    /** Releases every held frame (the job ended, nobody will attach to take them). */
    public void dropHeld() {
        heldFrames.values().forEach(q -> q.forEach(ByteBuf::release));
        heldFrames.clear();
    }
}
