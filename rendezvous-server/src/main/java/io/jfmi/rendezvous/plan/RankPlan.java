package io.jfmi.rendezvous.plan;

import java.util.Set;

/** One rank's instructions for a round: the peers it reaches through the relay, and those it must punch to now. */
public record RankPlan(int rank, Set<Integer> relayPeers, Set<Integer> punchPeers) {
    public RankPlan {
        relayPeers = Set.copyOf(relayPeers);
        punchPeers = Set.copyOf(punchPeers);
    }
}
