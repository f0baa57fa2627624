package io.jfmi.core.rendezvous;

import io.jfmi.core.FmiException;
import io.jfmi.core.util.Deadline;
import io.jfmi.core.wire.Connection;
import io.jfmi.protocol.proto.ChannelPlan;
import io.jfmi.protocol.proto.PeerTable;
import io.jfmi.protocol.proto.Register;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How ranks of a job find each other and agree on channels. {@link ServerRendezvous} talks to the rendezvous
 * server; {@link InProcessRendezvous} joins threads of one JVM (tests, single-process jobs). Calls happen in this
 * order: join, agreeOnChannels (then reportPunched when the plan asks to punch), openRelay (only when some peer
 * is relayed), watch, then leave or abort.
 */
public interface Rendezvous extends AutoCloseable {

    /** Registers this rank and blocks until every rank of the job registered; returns the job's peer table. */
    PeerTable join(Register registration, Deadline deadline);

    /**
     * Reports the lower ranks this rank reached with a direct link it dialed. Returns either the final plan
     * (the peers to reach through the relay; a pair is direct only when its dialer succeeded) or a punch plan:
     * punch now to {@code punch_peers}, then call {@link #reportPunched}.
     */
    ChannelPlan agreeOnChannels(Set<Integer> dialedPeers, Deadline deadline);

    /** Reports the peers this rank holds a punched link with; returns the final plan. */
    ChannelPlan reportPunched(Set<Integer> punchedPeers, Deadline deadline);

    /**
     * Makes the control connection leave from this local port (the data port), so the server observes the
     * address a NAT maps it to. Call before {@link #join}; a no-op where there is no server.
     */
    default void bindControlTo(int localPort) {
    }

    /** Opens an authenticated connection to the relay, ready for data frames. */
    Connection openRelay(Deadline deadline);

    /** From now on, failures elsewhere in the job (a dead rank, an abort) are passed to {@code onFailure}. */
    void watch(Consumer<FmiException> onFailure);

    /** The server's side of moving a failed direct link to the relay, or null where there is no relay. */
    default LinkRepair linkRepair() {
        return null;
    }

    /** From now on, the server's word on this rank's links is passed to {@code onNotice}. */
    default void watchLinks(Consumer<LinkNotice> onNotice) {
    }

    /** Tells the job this rank gave up, so the other ranks fail fast. Best effort, never throws. */
    void abort(String reason);

    /** Orderly leave: the job's other ranks are not told of a failure. */
    void leave();

    /** Where the rendezvous is, for messages. */
    String describe();

    @Override
    void close();
}
