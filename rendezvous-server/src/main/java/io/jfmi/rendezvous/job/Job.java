package io.jfmi.rendezvous.job;

import com.google.protobuf.ByteString;
import io.jfmi.protocol.proto.Abort;
import io.jfmi.protocol.proto.ChannelPlan;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.protocol.proto.JoinStatus;
import io.jfmi.protocol.proto.LinkDown;
import io.jfmi.protocol.proto.LinkStuck;
import io.jfmi.protocol.proto.PeerFailed;
import io.jfmi.protocol.proto.PeerInfo;
import io.jfmi.protocol.proto.PeerTable;
import io.jfmi.protocol.proto.RankLeftBeforeForming;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.jfmi.rendezvous.plan.ChannelPlanning;
import io.jfmi.rendezvous.plan.PlanException;
import io.jfmi.rendezvous.plan.PlanRound;
import io.jfmi.rendezvous.plan.RankFacts;
import io.jfmi.rendezvous.plan.RankPlan;
import io.jfmi.rendezvous.relay.RelayRoutes;
import io.jfmi.rendezvous.relay.RelayedJob;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job instance: its membership (ranks as they register, the peer table once all are in, leaves, failures told
 * to the others), wired to its {@link ChannelPlanning} and its {@link RelayRoutes}. All state changes happen under
 * the job's lock; Netty writes are thread-safe so messages go out from whichever event loop made the change.
 */
public final class Job implements RelayedJob {
    private static final Logger log = LoggerFactory.getLogger(Job.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final int worldSize;
    private final int maxFramePayload;
    private final ServerMetrics metrics;
    private final byte[] sessionKey = new byte[32];
    private final Member[] members;
    private final RelayRoutes routes;
    private final LinkFailovers failovers;
    private ChannelPlanning planning;
    private int registered;
    private long formedAtNanos;
    private boolean formed;
    private boolean ended;
    private boolean serverStopping;
    private volatile long lastActivityNanos = System.nanoTime();

    Job(String id, int worldSize, int maxFramePayload, ServerMetrics metrics) {
        this.id = id;
        this.worldSize = worldSize;
        this.maxFramePayload = maxFramePayload;
        this.metrics = metrics;
        this.members = new Member[worldSize];
        this.routes = new RelayRoutes(worldSize, metrics);
        this.failovers = new LinkFailovers(worldSize);
        RANDOM.nextBytes(sessionKey);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }

    synchronized boolean formed() {
        return formed;
    }

    synchronized int registeredCount() {
        return registered;
    }

    /** Which ranks have not registered yet (the lowest 64 of them, and how many in all). */
    public synchronized JoinStatus joinStatus() {
        JoinStatus.Builder b = JoinStatus.newBuilder().setFormed(formed);
        int missing = 0;
        for (int r = 0; r < members.length; r++) {
            if (members[r] == null) {
                if (missing < 64) {
                    b.addMissingRanks(r);
                }
                missing++;
            }
        }
        return b.setMissingCount(missing).build();
    }

    /** Connected ranks (registered, not left, control channel open). */
    synchronized int liveRanks() {
        int live = 0;
        for (Member m : members) {
            if (m != null && !m.left && m.control.isActive()) {
                live++;
            }
        }
        return live;
    }

    /** Adds a rank; sends the peer table to everyone when it was the last one. */
    /** Both ends of a direct link must agree whether its frames are sealed: one setting per job. */
    private void checkSameLinkSealing(int rank, PeerInfo info) throws RegistrationException {
        for (Member m : members) {
            if (m != null && m.info.getSealLinks() != info.getSealLinks()) {
                throw new RegistrationException(ErrorCode.SETTINGS_MISMATCH, "rank " + rank + " of job '" + id
                        + "' " + (info.getSealLinks() ? "seals" : "does not seal") + " its direct links but rank "
                        + m.rank + " " + (m.info.getSealLinks() ? "does" : "does not")
                        + ": give every rank the same link-sealing setting");
            }
        }
    }

    synchronized void register(int rank, int claimedWorldSize, Channel control, PeerInfo info)
            throws RegistrationException {
        touch();
        if (claimedWorldSize != worldSize) {
            throw new RegistrationException(ErrorCode.WORLD_SIZE_MISMATCH, "job '" + id + "' has world size "
                    + worldSize + " (set by its first rank), rank " + rank + " claims " + claimedWorldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new RegistrationException(ErrorCode.RANK_OUT_OF_RANGE, "rank " + rank + " outside 0.."
                    + (worldSize - 1) + " for job '" + id + "'");
        }
        if (ended) {
            throw new RegistrationException(ErrorCode.JOB_NOT_READY, "job '" + id + "' has ended; wait until its "
                    + "ranks have left, or use a new job id");
        }
        Member existing = members[rank];
        if (existing != null) {
            throw new RegistrationException(ErrorCode.DUPLICATE_RANK, "rank " + rank + " of job '" + id
                    + "' is already registered from " + existing.control.remoteAddress());
        }
        checkSameLinkSealing(rank, info);
        members[rank] = new Member(rank, control, info);
        registered++;
        log.info("job '{}' rank {}/{} registered from {} ({} of {})", id, rank, worldSize, control.remoteAddress(),
                registered, worldSize);
        if (registered == worldSize) {
            formed = true;
            formedAtNanos = System.nanoTime();
            List<RankFacts> facts = new ArrayList<>();
            for (Member m : members) {
                facts.add(new RankFacts(m.info.hasObserved() && !m.info.getRelayOnly() && !m.info.getNoPunch(),
                        m.info.getHostId()));
            }
            planning = new ChannelPlanning(facts);
            metrics.jobFormed();
            PeerTable.Builder table = PeerTable.newBuilder().setSessionKey(ByteString.copyFrom(sessionKey))
                    .setMaxFramePayload(maxFramePayload);
            for (Member m : members) {
                table.addPeers(m.info);
            }
            ControlMessage msg = ControlMessage.newBuilder().setPeerTable(table).build();
            for (Member m : members) {
                m.control.writeAndFlush(msg);
            }
            log.info("job '{}' formed: {} ranks; peer table sent", id, worldSize);
        }
    }

    /**
     * Takes a rank's connect report (first round: the lower ranks it dialed; second round, {@code punched}: the
     * peers it holds a punched link with) and, when it completes a round, sends every rank its plan.
     */
    public synchronized void connectReport(int rank, Set<Integer> peers, boolean punched)
            throws RegistrationException {
        touch();
        if (!formed) {
            throw new RegistrationException(ErrorCode.JOB_NOT_READY, "rank " + rank + " of job '" + id
                    + "' sent a connect report before the job formed");
        }
        Optional<PlanRound> round;
        try {
            round = punched ? planning.punchReport(rank, peers) : planning.dialReport(rank, peers);
        } catch (PlanException e) {
            throw new RegistrationException(ErrorCode.BAD_REQUEST, "job '" + id + "': " + e.getMessage());
        }
        round.ifPresent(this::send);
    }

    private void send(PlanRound round) {
        int punchPairs = 0;
        for (RankPlan plan : round.plans()) {
            punchPairs += plan.punchPeers().size();
            members[plan.rank()].control.writeAndFlush(ControlMessage.newBuilder().setChannelPlan(ChannelPlan
                    .newBuilder().addAllRelayPeers(plan.relayPeers()).addAllPunchPeers(plan.punchPeers())
                    .setFinal(round.isFinal())).build());
        }
        if (!round.isFinal()) {
            log.info("job '{}': {} rank pairs have no direct link; told them to punch", id, punchPairs / 2);
            return;
        }
        PlanRound.PairCounts pairs = round.counts();
        metrics.channel("local", pairs.local());
        metrics.channel("lan", pairs.lan());
        metrics.channel("punched", pairs.punched());
        metrics.channel("relay", pairs.relayed());
        double seconds = (System.nanoTime() - formedAtNanos) / 1e9;
        metrics.jobConnected(seconds);
        log.info("job '{}' channel plan: {} local, {} lan, {} punched, {} relayed pairs; {} s from formed to planned",
                id, pairs.local(), pairs.lan(), pairs.punched(), pairs.relayed(), String.format("%.3f", seconds));
    }

    /** Throws what {@link #attachRelay} would, so a connection is refused before it switches to relaying. */
    public synchronized void checkRelayAttachable(int rank) throws RegistrationException {
        Member m = members[rank];
        if (m == null || m.left) {
            throw new RegistrationException(ErrorCode.JOB_NOT_READY, "rank " + rank + " of job '" + id
                    + "' must register before attaching a relay connection");
        }
        if (routes.attached(rank)) {
            throw new RegistrationException(ErrorCode.DUPLICATE_RANK, "rank " + rank + " of job '" + id
                    + "' already has a relay connection");
        }
    }

    /** Attaches {@code rank}'s relay connection; releases frames held for it and resumes their senders. */
    public synchronized void attachRelay(int rank, Channel relay) throws RegistrationException {
        touch();
        checkRelayAttachable(rank);
        routes.attach(rank, relay);
        log.info("job '{}' rank {} relay attached from {}", id, rank, relay.remoteAddress());
    }

    /**
     * The relay channel of {@code dst}, or null when it is not attached yet; in that case the frame is held and
     * the sender paused until it attaches.
     */
    @Override
    public synchronized Channel routeOrHold(int dst, ByteBuf frame, Channel sender) {
        touch();
        return routes.routeOrHold(dst, frame, sender);
    }

    /** An orderly leave. Returns true when no rank of the job remains. */
    public synchronized boolean leave(int rank) {
        touch();
        Member m = members[rank];
        if (m != null) {
            m.left = true;
            log.info("job '{}' rank {} left", id, rank);
        }
        return allGone();
    }

    /**
     * The rank's control connection closed. Before the job formed the slot is freed (the rank may retry); after,
     * every other rank is told. Returns true when no rank of the job remains.
     */
    public synchronized boolean disconnected(int rank, Channel control) {
        touch();
        Member m = members[rank];
        if (m == null || m.control != control) {
            return allGone();
        }
        if (!formed) {
            members[rank] = null;
            registered--;
            log.info("job '{}' rank {} disconnected before the job formed; slot freed ({} of {} registered)", id,
                    rank, registered, worldSize);
            broadcast(ControlMessage.newBuilder().setRankLeftBeforeForming(RankLeftBeforeForming.newBuilder()
                    .setRank(rank).setRegistered(registered).setReason("it registered from " + m.control.remoteAddress()
                            + ", then its connection closed before all " + worldSize + " ranks had registered"))
                    .build(), rank);
            return registered == 0;
        }
        if (!m.left && serverStopping) {
            m.left = true;
            log.info("job '{}' rank {} disconnected: the server is stopping", id, rank);
        } else if (!m.left) {
            m.left = true;
            ended = true;
            int told = broadcast(ControlMessage.newBuilder().setPeerFailed(PeerFailed.newBuilder().setRank(rank)
                    .setReason("its connection to the rendezvous server closed without a goodbye")).build(), rank);
            log.warn("job '{}' rank {} disconnected without a goodbye: told {} other ranks", id, rank, told);
            metrics.error("rank_lost");
            routes.close(rank);
        }
        // After a goodbye the relay connection stays: frames the rank sent before leaving may still be queued
        // behind a slow receiver, and the rank closes it itself once they are out.
        return allGone();
    }

    /**
     * {@code rank} waits on its direct link to a peer with bytes owed and nothing moving: the peer is told, and only
     * it can tell whether bytes it wrote long ago never arrived (then it gives the link up, {@link #linkDown}).
     */
    public synchronized void linkStuck(int rank, LinkStuck report) throws RegistrationException {
        touch();
        int peer = checkedPeer(rank, report.getPeer());
        if (ended) {
            return;
        }
        log.info("job '{}' rank {} reports its link to rank {} stuck for {} ms (sent {}, received {}, {}); asking "
                + "rank {}", id, rank, peer, report.getWindowMs(), report.getSent(), report.getReceived(),
                report.getWantsWrite() ? "waiting to send" : "waiting to receive", peer);
        tell(peer, ControlMessage.newBuilder().setLinkStuck(report.toBuilder().setPeer(rank)).build());
    }

    /**
     * {@code rank} gave its direct link to a peer up and took the peer's stream up to a byte: the peer is told, so
     * it resends from there over the relay (and gives the link up too, if it had not yet).
     */
    public synchronized void linkDown(int rank, LinkDown down) throws RegistrationException {
        touch();
        int peer = checkedPeer(rank, down.getPeer());
        Member other = members[peer];
        if (other == null || other.left || !other.control.isActive()) {
            throw new RegistrationException(ErrorCode.PEER_GONE, "rank " + rank + "'s link to rank " + peer
                    + " failed (" + down.getReason() + ") and cannot move to the relay: rank " + peer
                    + " has left job '" + id + "'");
        }
        if (failovers.firstDown(rank, peer)) {
            metrics.linkFailover(down.getCause().isEmpty() ? "unknown" : down.getCause());
            log.warn("job '{}': rank {} gave up its direct link to rank {} ({}); moving the pair to the relay", id,
                    rank, peer, down.getReason());
        } else {
            log.info("job '{}': rank {} gave up its direct link to rank {} too; both resume over the relay", id, rank,
                    peer);
        }
        other.control.writeAndFlush(ControlMessage.newBuilder().setLinkDown(down.toBuilder().setPeer(rank)).build());
    }

    private int checkedPeer(int rank, int peer) throws RegistrationException {
        if (!formed || peer < 0 || peer >= worldSize || peer == rank) {
            throw new RegistrationException(ErrorCode.BAD_REQUEST, "link report from rank " + rank + " names rank "
                    + peer + (formed ? ", not another rank of job '" + id + "'" : " before job '" + id + "' formed"));
        }
        return peer;
    }

    private void tell(int rank, ControlMessage msg) {
        Member m = members[rank];
        if (m != null && !m.left && m.control.isActive()) {
            m.control.writeAndFlush(msg);
        }
    }

    /** The server is closing every connection: none of them is a rank's failure. */
    synchronized void serverStopping() {
        serverStopping = true;
    }

    /** A rank gave up: tell all the others. */
    public synchronized void abort(int rank, String reason) {
        touch();
        ended = true;
        int told = broadcast(ControlMessage.newBuilder().setAbort(Abort.newBuilder().setRank(rank).setReason(reason))
                .build(), rank);
        log.warn("job '{}' aborted by rank {} ({}); told {} other ranks", id, rank, reason, told);
    }

    /** Reports an error to one rank over its control connection (e.g. its relay sent a bad frame). */
    @Override
    public synchronized void reportError(int rank, ControlMessage error) {
        Member m = members[rank];
        if (m != null && m.control.isActive()) {
            m.control.writeAndFlush(error);
        }
    }

    /** Closes every connection of a job that never formed or went idle. */
    synchronized void expire(String why, ControlMessage notice) {
        ended = true;
        for (Member m : members) {
            if (m != null) {
                m.control.writeAndFlush(notice).addListener(f -> m.control.close());
                routes.close(m.rank);
            }
        }
        routes.dropHeld();
        log.warn("job '{}' forgotten: {}", id, why);
    }

    private int broadcast(ControlMessage msg, int except) {
        int told = 0;
        for (Member m : members) {
            if (m != null && m.rank != except && !m.left && m.control.isActive()) {
                m.control.writeAndFlush(msg);
                told++;
            }
        }
        return told;
    }

    private boolean allGone() {
        for (Member m : members) {
            if (m != null && !m.left && m.control.isActive()) {
                return false;
            }
        }
        routes.dropHeld();
        return true;
    }
}
