package io.jfmi.rendezvous.plan;

import io.jfmi.protocol.ChannelPlanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's side of channel planning for one job, free of I/O so every case can be tested alone.
 *
 * <p>Round one: every rank reports the lower ranks it dialed. A pair is direct when its dialer (the higher rank)
 * succeeded ({@link ChannelPlanner#relayPeers}). If some pair failed and both its ranks are punchable, those pairs
 * are told to punch (a non-final round); otherwise the plan is final at once. Round two: every rank reports the
 * peers it holds a punched link with; a pair is punched only when both sides report it, every other failed pair
 * stays relayed. Nothing is issued until the last rank of a round has reported.
 */
public final class ChannelPlanning {
    private final List<RankFacts> ranks;
    private final int worldSize;
    private final Map<Integer, Set<Integer>> dialed = new HashMap<>();
    private final Map<Integer, Set<Integer>> punched = new HashMap<>();
    private final Map<Integer, Set<Integer>> firstRelay = new HashMap<>();
    private final Map<Integer, Set<Integer>> punchPartners = new HashMap<>();
    private boolean punchRound;
    private boolean done;

    public ChannelPlanning(List<RankFacts> ranks) {
        this.ranks = List.copyOf(ranks);
        this.worldSize = ranks.size();
    }

    /** Records the lower ranks {@code rank} dialed; returns the next round once every rank has reported. */
    public Optional<PlanRound> dialReport(int rank, Set<Integer> peers) throws PlanException {
        checkReport(rank, peers, "dial");
        if (punchRound || done) {
            throw new PlanException("rank " + rank + " sent a dial report after the dial round ended");
        }
        for (int p : peers) {
            if (p >= rank) {
                throw new PlanException("rank " + rank + " reports dialing rank " + p
                        + ", but ranks dial lower ranks only");
            }
        }
        if (dialed.putIfAbsent(rank, Set.copyOf(peers)) != null) {
            throw new PlanException("rank " + rank + " sent a second dial report");
        }
        return dialed.size() == worldSize ? Optional.of(afterDialing()) : Optional.empty();
    }

    /** Records the peers {@code rank} holds a punched link with; returns the final round once all reported. */
    public Optional<PlanRound> punchReport(int rank, Set<Integer> peers) throws PlanException {
        checkReport(rank, peers, "punch");
        if (!punchRound) {
            throw new PlanException("rank " + rank + " reported punched links, but no punch round was started");
        }
        if (punched.putIfAbsent(rank, Set.copyOf(peers)) != null) {
            throw new PlanException("rank " + rank + " sent a second punch report");
        }
        return punched.size() == worldSize ? Optional.of(afterPunching()) : Optional.empty();
    }

    private void checkReport(int rank, Set<Integer> peers, String kind) throws PlanException {
        if (rank < 0 || rank >= worldSize) {
            throw new PlanException(kind + " report from rank " + rank + " outside 0.." + (worldSize - 1));
        }
        for (int p : peers) {
            if (p < 0 || p >= worldSize || p == rank) {
                throw new PlanException("rank " + rank + "'s " + kind + " report names rank " + p
                        + ", which is not another rank of this job of " + worldSize);
            }
        }
    }

    private PlanRound afterDialing() {
        boolean anyPunch = false;
        for (int r = 0; r < worldSize; r++) {
            Set<Integer> relay = ChannelPlanner.relayPeers(r, worldSize, dialed);
            Set<Integer> partners = new TreeSet<>();
            for (int p : relay) {
                if (ranks.get(r).punchable() && ranks.get(p).punchable()) {
                    partners.add(p);
                }
            }
            firstRelay.put(r, relay);
            punchPartners.put(r, partners);
            anyPunch |= !partners.isEmpty();
        }
        if (!anyPunch) {
            return finalRound(firstRelay, Map.of());
        }
        punchRound = true;
        List<RankPlan> plans = new ArrayList<>();
        for (int r = 0; r < worldSize; r++) {
            plans.add(new RankPlan(r, firstRelay.get(r), punchPartners.get(r)));
        }
        return new PlanRound(false, plans, null);
    }

    private PlanRound afterPunching() {
        Map<Integer, Set<Integer>> relay = new HashMap<>();
        Map<Integer, Set<Integer>> punchedWith = new HashMap<>();
        for (int r = 0; r < worldSize; r++) {
            Set<Integer> stillRelayed = new TreeSet<>(firstRelay.get(r));
            Set<Integer> holds = new TreeSet<>();
            for (int p : punched.get(r)) {
                boolean mutual = punched.get(p).contains(r);
                boolean asked = punchPartners.get(r).contains(p);
                if (mutual && asked) {
                    stillRelayed.remove(p);
                    holds.add(p);
                }
            }
            relay.put(r, stillRelayed);
            punchedWith.put(r, holds);
        }
        return finalRound(relay, punchedWith);
    }

    private PlanRound finalRound(Map<Integer, Set<Integer>> relay, Map<Integer, Set<Integer>> punchedWith) {
        done = true;
        punchRound = false;
        List<RankPlan> plans = new ArrayList<>();
        int relayed = 0;
        int punchedPairs = 0;
        int local = 0;
        for (int r = 0; r < worldSize; r++) {
            plans.add(new RankPlan(r, relay.get(r), Set.of()));
            Set<Integer> holds = punchedWith.getOrDefault(r, Set.of());
            for (int p = r + 1; p < worldSize; p++) {
                if (relay.get(r).contains(p)) {
                    relayed++;
                } else if (holds.contains(p)) {
                    punchedPairs++;
                } else if (ranks.get(r).hostId().equals(ranks.get(p).hostId())) {
                    local++;
                }
            }
        }
        int direct = worldSize * (worldSize - 1) / 2 - relayed - punchedPairs;
        return new PlanRound(true, plans, new PlanRound.PairCounts(local, direct - local, punchedPairs, relayed));
    }
}
