package io.jfmi.core;

import io.jfmi.core.rendezvous.InProcessRendezvous;

/**
 * A job whose ranks are threads of one JVM: they meet here instead of at a rendezvous server, then talk over real
 * loopback TCP links (no relay). Create one per job, hand it to every rank's thread and call
 * {@link Communicator#connect(CommunicatorOptions, LocalJob)} there.
 */
public final class LocalJob {
    private final InProcessRendezvous.Hub hub;

    public LocalJob(int worldSize) {
        if (worldSize < 1 || worldSize > CommunicatorOptions.MAX_WORLD_SIZE) {
            throw new IllegalArgumentException("worldSize must be 1.." + CommunicatorOptions.MAX_WORLD_SIZE
                    + ", got " + worldSize);
        }
        this.hub = new InProcessRendezvous.Hub(worldSize);
    }

    InProcessRendezvous rendezvousFor(int rank) {
        return new InProcessRendezvous(hub, rank);
    }
}
