package io.jfmi.protocol;

import io.jfmi.protocol.proto.PeerInfo;
import io.jfmi.protocol.proto.PeerTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules both sides of a pair apply, so they agree without negotiating: the higher rank dials the lower one;
 * a relay-only rank dials nobody and is dialed by nobody; a pair is direct exactly when its dialer reported
 * success, otherwise both sides use the relay.
 */
public final class ChannelPlanner {
    private ChannelPlanner() {
    }

    /** Lower ranks that {@code rank} dials, in ascending order. */
    public static List<Integer> dialTargets(int rank, PeerTable table) {
        List<Integer> targets = new ArrayList<>();
        if (relayOnly(table, rank)) {
            return targets;
        }
        for (int p = 0; p < rank; p++) {
            if (!relayOnly(table, p)) {
                targets.add(p);
            }
        }
        return targets;
    }

    /** Higher ranks that dial {@code rank}. */
    public static Set<Integer> expectedDialers(int rank, PeerTable table) {
        Set<Integer> dialers = new TreeSet<>();
        if (relayOnly(table, rank)) {
            return dialers;
        }
        for (int p = rank + 1; p < table.getPeersCount(); p++) {
            if (!relayOnly(table, p)) {
                dialers.add(p);
            }
        }
        return dialers;
    }

    /** Peers of {@code rank} that must be relayed, given what every rank reported it dialed. */
    public static Set<Integer> relayPeers(int rank, int worldSize, Map<Integer, ? extends Set<Integer>> dialed) {
        Set<Integer> relay = new TreeSet<>();
        for (int p = 0; p < worldSize; p++) {
            if (p == rank) {
                continue;
            }
            int dialer = Math.max(rank, p);
            int target = Math.min(rank, p);
            Set<Integer> done = dialed.get(dialer);
            if (done == null || !done.contains(target)) {
                relay.add(p);
            }
        }
        return relay;
    }

    private static boolean relayOnly(PeerTable table, int rank) {
        PeerInfo info = table.getPeers(rank);
        return info.getRelayOnly();
    }
}
