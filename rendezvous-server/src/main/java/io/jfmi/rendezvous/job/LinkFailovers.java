package io.jfmi.rendezvous.job;

import java.util.HashSet;
import java.util.Set;

/**
 * The rank pairs of one job whose direct link moved to the relay. Both ends give a link up, so this tells the first
 * (the failover to count and log) from the second. Not thread-safe: the job calls it under its lock.
 */
final class LinkFailovers {
    private final int worldSize;
    private final Set<Long> movedPairs = new HashSet<>();

    LinkFailovers(int worldSize) {
        this.worldSize = worldSize;
    }

    /** True for the first of the two ends that gives the pair's link up. */
    boolean firstDown(int rank, int peer) {
        return movedPairs.add((long) Math.min(rank, peer) * worldSize + Math.max(rank, peer));
    }
}
