package io.jfmi.rendezvous.job;

import com.google.protobuf.ByteString;
import io.jfmi.protocol.ChannelPlanner;
import io.jfmi.protocol.proto.Abort;
import io.jfmi.protocol.proto.ChannelPlan;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.ErrorCode;
import io.jfmi.protocol.proto.PeerFailed;
import io.jfmi.protocol.proto.PeerInfo;
import io.jfmi.protocol.proto.PeerTable;
import io.jfmi.rendezvous.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job instance: its ranks as they register, the peer table once all are in, the channel plan once every
 * rank reported its dials, and the relay routes. All state changes happen under the job's lock; Netty writes are
 * thread-safe so messages go out from whichever event loop made the change.
 */
public final class Job {
    private static final Logger log = LoggerFactory.getLogger(Job.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final int worldSize;
    private final int maxFramePayload;
    private final ServerMetrics metrics;
    private final byte[] sessionKey = new byte[32];
    private final Member[] members;
    private final Map<Integer, Set<Integer>> dialed = new HashMap<>();
    private final Map<Integer, Set<Integer>> firstRelay = new HashMap<>();
    private final Map<Integer, Set<Integer>> punchPartners = new HashMap<>();
    private final Map<Integer, Set<Integer>> punchedReports = new HashMap<>();
    /** Frames for ranks whose relay is not attached yet, with the senders paused until it is. */
    private final Map<Integer, ArrayDeque<ByteBuf>> heldFrames = new HashMap<>();
    private final Map<Integer, List<Channel>> pausedForAttach = new HashMap<>();
    private int registered;
    private long formedAtNanos;
    private boolean formed;
    private boolean ended;
    private volatile long lastActivityNanos = System.nanoTime();

    Job(String id, int worldSize, int maxFramePayload, ServerMetrics metrics) {
        this.id = id;
        this.worldSize = worldSize;
        this.maxFramePayload = maxFramePayload;
        this.metrics = metrics;
        this.members = new Member[worldSize];
        RANDOM.nextBytes(sessionKey);
    }

    public String id() {
        return id;
    }

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
        members[rank] = new Member(rank, control, info);
        registered++;
        log.info("job '{}' rank {}/{} registered from {} ({} of {})", id, rank, worldSize, control.remoteAddress(),
                registered, worldSize);
        if (registered == worldSize) {
            formed = true;
            formedAtNanos = System.nanoTime();
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
     * First round: records which lower ranks {@code rank} dialed. Once all reported, pairs without a direct
     * link whose ranks both have an observed (post-NAT) endpoint and allow punching are told to punch now;
     * if there are none, every rank gets its final plan at once. Second round ({@code punched}): records the
     * peers a rank holds a punched link with; once all reported, a pair stays direct only when both sides
     * report it, and every rank gets its final plan.
     */
    public synchronized void connectReport(int rank, Set<Integer> peers, boolean punched)
            throws RegistrationException {
        touch();
        if (!formed) {
            throw new RegistrationException(ErrorCode.JOB_NOT_READY, "rank " + rank + " of job '" + id
                    + "' sent a connect report before the job formed");
        }
        if (!punched) {
            dialed.put(rank, Set.copyOf(peers));
            if (dialed.size() == worldSize) {
                planAfterDialing();
            }
            return;
        }
        if (punchPartners.isEmpty()) {
            throw new RegistrationException(ErrorCode.BAD_REQUEST, "rank " + rank + " of job '" + id
                    + "' reported punched links, but no punch round was started");
        }
        punchedReports.put(rank, Set.copyOf(peers));
        if (punchedReports.size() == worldSize) {
            planAfterPunching();
        }
    }

    private void planAfterDialing() {
        for (Member m : members) {
            Set<Integer> relay = ChannelPlanner.relayPeers(m.rank, worldSize, dialed);
            firstRelay.put(m.rank, relay);
            Set<Integer> partners = new java.util.TreeSet<>();
            for (int p : relay) {
                if (punchable(m) && punchable(members[p])) {
                    partners.add(p);
                }
            }
            punchPartners.put(m.rank, partners);
        }
        boolean anyPunch = punchPartners.values().stream().anyMatch(s -> !s.isEmpty());
        if (!anyPunch) {
            punchPartners.clear();
            sendFinalPlans(firstRelay, 0);
            return;
        }
        for (Member m : members) {
            m.control.writeAndFlush(ControlMessage.newBuilder().setChannelPlan(ChannelPlan.newBuilder()
                    .addAllRelayPeers(firstRelay.get(m.rank)).addAllPunchPeers(punchPartners.get(m.rank))
                    .setFinal(false)).build());
        }
        log.info("job '{}': {} rank pairs have no direct link; told them to punch", id,
                punchPartners.values().stream().mapToInt(Set::size).sum() / 2);
    }

    private void planAfterPunching() {
        Map<Integer, Set<Integer>> relay = new HashMap<>();
        int punchedPairs = 0;
        for (Member m : members) {
            Set<Integer> r = new java.util.TreeSet<>(firstRelay.get(m.rank));
            for (int p : punchedReports.get(m.rank)) {
                if (punchedReports.get(p) != null && punchedReports.get(p).contains(m.rank)) {
                    r.remove(p);
                    if (m.rank < p) {
                        punchedPairs++;
                    }
                }
            }
            relay.put(m.rank, r);
        }
        sendFinalPlans(relay, punchedPairs);
    }

    /** Direct pairs whose ranks share a host id (loopback links); punched pairs never do. */
    private int localDirectPairs(Map<Integer, Set<Integer>> relay) {
        int local = 0;
        for (Member a : members) {
            for (Member b : members) {
                if (a.rank < b.rank && !relay.get(a.rank).contains(b.rank)
                        && a.info.getHostId().equals(b.info.getHostId())) {
                    local++;
                }
            }
        }
        return local;
    }

    private static boolean punchable(Member m) {
        return m.info.hasObserved() && !m.info.getRelayOnly() && !m.info.getNoPunch();
    }

    private void sendFinalPlans(Map<Integer, Set<Integer>> relay, int punchedPairs) {
        int relayedPairs = 0;
        for (Member m : members) {
            Set<Integer> r = relay.get(m.rank);
            relayedPairs += r.size();
            m.control.writeAndFlush(ControlMessage.newBuilder()
                    .setChannelPlan(ChannelPlan.newBuilder().addAllRelayPeers(r).setFinal(true)).build());
        }
        relayedPairs /= 2;
        int pairs = worldSize * (worldSize - 1) / 2;
        int direct = pairs - relayedPairs - punchedPairs;
        int local = localDirectPairs(relay);
        metrics.channel("local", local);
        metrics.channel("lan", direct - local);
        metrics.channel("punched", punchedPairs);
        metrics.channel("relay", relayedPairs);
        double seconds = (System.nanoTime() - formedAtNanos) / 1e9;
        metrics.jobConnected(seconds);
        log.info("job '{}' channel plan: {} local, {} lan, {} punched, {} relayed pairs; {} s from formed to planned",
                id, local, direct - local, punchedPairs, relayedPairs, String.format("%.3f", seconds));
    }

    /** Attaches {@code rank}'s relay connection; releases frames held for it and resumes their senders. */
    public synchronized void attachRelay(int rank, Channel relay) throws RegistrationException {
        touch();
        Member m = members[rank];
        if (m == null || m.left) {
            throw new RegistrationException(ErrorCode.JOB_NOT_READY, "rank " + rank + " of job '" + id
                    + "' must register before attaching a relay connection");
        }
        if (m.relay != null && m.relay.isActive()) {
            throw new RegistrationException(ErrorCode.DUPLICATE_RANK, "rank " + rank + " of job '" + id
                    + "' already has a relay connection");
        }
        m.relay = relay;
        log.info("job '{}' rank {} relay attached from {}", id, rank, relay.remoteAddress());
        ArrayDeque<ByteBuf> held = heldFrames.remove(rank);
        if (held != null) {
            for (ByteBuf f : held) {
                relay.write(f);
            }
            relay.flush();
        }
        List<Channel> paused = pausedForAttach.remove(rank);
        if (paused != null) {
            paused.forEach(c -> c.config().setAutoRead(true));
        }
    }

    /**
     * The relay channel of {@code dst}, or null when it is not attached yet; in that case the frame is held and
     * the sender paused until it attaches.
     */
    public synchronized Channel routeOrHold(int dst, ByteBuf frame, Channel sender) {
        touch();
        Member m = members[dst];
        if (m != null && m.relay != null) {
            return m.relay;
        }
        heldFrames.computeIfAbsent(dst, d -> new ArrayDeque<>()).add(frame);
        sender.config().setAutoRead(false);
        pausedForAttach.computeIfAbsent(dst, d -> new ArrayList<>()).add(sender);
        metrics.relayPaused();
        return null;
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
            return registered == 0;
        }
        if (!m.left) {
            m.left = true;
            ended = true;
            int told = broadcast(ControlMessage.newBuilder().setPeerFailed(PeerFailed.newBuilder().setRank(rank)
                    .setReason("its connection to the rendezvous server closed without a goodbye")).build(), rank);
            log.warn("job '{}' rank {} disconnected without a goodbye: told {} other ranks", id, rank, told);
            metrics.error("rank_lost");
            closeRelay(m);
        }
        // After a goodbye the relay connection stays: frames the rank sent before leaving may still be queued
        // behind a slow receiver, and the rank closes it itself once they are out.
        return allGone();
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
                closeRelay(m);
            }
        }
        heldFrames.values().forEach(q -> q.forEach(ByteBuf::release));
        heldFrames.clear();
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
        heldFrames.values().forEach(q -> q.forEach(ByteBuf::release));
        heldFrames.clear();
        return true;
    }

    private static void closeRelay(Member m) {
        if (m.relay != null) {
            m.relay.close();
        }
    }
}
