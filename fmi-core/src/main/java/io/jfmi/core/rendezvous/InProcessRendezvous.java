package io.jfmi.core.rendezvous;

import com.google.protobuf.ByteString;
import io.jfmi.core.FmiException;
import io.jfmi.core.PeerFailureException;
import io.jfmi.core.RendezvousException;
import io.jfmi.core.util.Deadline;
import io.jfmi.core.wire.Connection;
import io.jfmi.protocol.ChannelPlanner;
import io.jfmi.protocol.proto.ChannelPlan;
import io.jfmi.protocol.proto.PeerInfo;
import io.jfmi.protocol.proto.PeerTable;
import io.jfmi.protocol.proto.Register;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rendezvous for ranks that are threads of one JVM: they meet in a shared {@link Hub} instead of a server. The
 * data links are still real TCP sockets; only the relay is unavailable (it lives in the server).
 */
public final class InProcessRendezvous implements Rendezvous {

    /** Where the ranks of one job meet. Create one per job and hand it to every rank's thread. */
    public static final class Hub {
        private final int worldSize;
        private final Register[] registrations;
        private final Map<Integer, Set<Integer>> dialed = new HashMap<>();
        private final Map<Integer, Consumer<FmiException>> watchers = new HashMap<>();
        private final byte[] sessionKey = new byte[32];
        private PeerTable table;
        private int registered;

        public Hub(int worldSize) {
            this.worldSize = worldSize;
            this.registrations = new Register[worldSize];
            new SecureRandom().nextBytes(sessionKey);
        }

        synchronized PeerTable join(int rank, Register r, Deadline deadline) {
            if (registrations[rank] != null) {
                throw new RendezvousException("rank " + rank + " joined the in-process job twice");
            }
            registrations[rank] = r;
            registered++;
            if (registered == worldSize) {
                PeerTable.Builder b = PeerTable.newBuilder().setSessionKey(ByteString.copyFrom(sessionKey));
                for (int p = 0; p < worldSize; p++) {
                    b.addPeers(PeerInfo.newBuilder().setRank(p).addAllEndpoints(registrations[p].getEndpointsList())
                            .setHostId(registrations[p].getHostId()).setRelayOnly(registrations[p].getRelayOnly())
                            .setSealLinks(registrations[p].getSealLinks()));
                }
                table = b.build();
                notifyAll();
            }
            awaitCondition(() -> table != null, deadline, "all " + worldSize + " ranks to join");
            return table;
        }

        synchronized Set<Integer> agree(int rank, Set<Integer> dialedPeers, Deadline deadline) {
            dialed.put(rank, Set.copyOf(dialedPeers));
            notifyAll();
            awaitCondition(() -> dialed.size() == worldSize, deadline, "every rank's connect report");
            return ChannelPlanner.relayPeers(rank, worldSize, dialed);
        }

        synchronized void watch(int rank, Consumer<FmiException> onFailure) {
            watchers.put(rank, onFailure);
        }

        void abort(int rank, String reason) {
            Map<Integer, Consumer<FmiException>> copy;
            synchronized (this) {
                copy = new HashMap<>(watchers);
            }
            copy.forEach((r, w) -> {
                if (r != rank) {
                    w.accept(new PeerFailureException("job aborted by rank " + rank + ": " + reason, rank));
                }
            });
        }

        private void awaitCondition(java.util.function.BooleanSupplier done, Deadline deadline, String what) {
            while (!done.getAsBoolean()) {
                long ms = deadline.remainingMillis();
                if (deadline.expired()) {
                    throw new RendezvousException("timed out after " + deadline.budgetMillis() + " ms waiting for "
                            + what);
                }
                try {
                    wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RendezvousException("interrupted while waiting for " + what);
                }
            }
        }
    }

    private final Hub hub;
    private final int rank;

    public InProcessRendezvous(Hub hub, int rank) {
        this.hub = hub;
        this.rank = rank;
    }

    @Override
    public PeerTable join(Register registration, Deadline deadline) {
        return hub.join(rank, registration, deadline);
    }

    @Override
    public ChannelPlan agreeOnChannels(Set<Integer> dialedPeers, Deadline deadline) {
        return ChannelPlan.newBuilder().addAllRelayPeers(hub.agree(rank, dialedPeers, deadline)).setFinal(true)
                .build();
    }

    @Override
    public ChannelPlan reportPunched(Set<Integer> punchedPeers, Deadline deadline) {
        throw new RendezvousException("the in-process rendezvous never asks ranks to punch");
    }

    @Override
    public Connection openRelay(Deadline deadline) {
        throw new RendezvousException("rank " + rank + " needs the relay, but the in-process rendezvous has none: "
                + "use the rendezvous server (direct links failed or relay was forced)");
    }

    @Override
    public void watch(Consumer<FmiException> onFailure) {
        hub.watch(rank, onFailure);
    }

    @Override
    public void abort(String reason) {
        hub.abort(rank, reason);
    }

    @Override
    public void leave() {
        // nothing to tell: the hub holds no connection
    }

    @Override
    public String describe() {
        return "in-process rendezvous";
    }

    @Override
    public void close() {
        // nothing held
    }
}
