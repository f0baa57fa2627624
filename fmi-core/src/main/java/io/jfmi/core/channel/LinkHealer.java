package io.jfmi.core.channel;

import io.jfmi.core.FmiException;
import io.jfmi.core.LinkKind;
import io.jfmi.core.PeerFailureException;
import io.jfmi.core.rendezvous.LinkNotice;
import io.jfmi.core.rendezvous.LinkRepair;
import io.jfmi.core.util.Deadline;
import io.jfmi.core.wire.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a failed direct link to the relay without losing, repeating or reordering a frame. Both ends stop using the
 * link, each tells the other (through the server) how far into the other's stream it got, and each resends its own
 * stream from there over the relay, followed by whatever it had not sent yet. Runs on the caller's thread, driven
 * by the {@link Transport}; only notices arrive from the control thread.
 */
final class LinkHealer {
    private static final Logger log = LoggerFactory.getLogger(LinkHealer.class);

    private final Transport transport;
    private final int rank;
    private final String jobId;
    private final LinkRepair repair;
    private final long stallNanos;
    private final ConcurrentLinkedQueue<LinkNotice> notices = new ConcurrentLinkedQueue<>();
    /** Resent streams not yet handed to the relay socket: the transport keeps writing them whatever the call. */
    private final List<SendRequest> backlog = new ArrayList<>();
    private volatile boolean noticePending;
    private int healed;

    /** @param repair the server's side of healing, or null when links cannot heal (no server) */
    LinkHealer(Transport transport, int rank, String jobId, LinkRepair repair, long stallNanos) {
        this.transport = transport;
        this.rank = rank;
        this.jobId = jobId;
        this.repair = repair;
        this.stallNanos = stallNanos;
    }

    /** True when {@code l} may be moved to the relay instead of failing the call. */
    boolean canHeal(Link l) {
        return repair != null && l.heals();
    }

    /** How many links this transport moved to the relay so far. */
    int healed() {
        return healed;
    }

    /** From the control thread: the server's word on a link; the caller's thread acts on it. */
    void offer(LinkNotice notice) {
        notices.add(notice);
        noticePending = true;
    }

    boolean hasNotices() {
        return noticePending;
    }

    /**
     * Stops using {@code l}: its partial inbound frame is forgotten, its partial outbound frame will be sent again
     * whole, and the peer is told (through the server) where to resume this rank's copy of its stream.
     */
    void linkFailed(Link l, String cause, String reason) {
        if (l.brokenBecause != null) {
            return;
        }
        l.brokenBecause = reason;
        l.brokenAtNanos = System.nanoTime();
        transport.reader().abandonPartialFrame(l);
        boolean ackOpen = l.ackOut.position() > 0 && l.ackOut.hasRemaining();
        if (FrameWriter.reopenFrame(l) || ackOpen) {
            l.log.truncate(l.unitStart);
        }
        l.ackOut.clear().limit(0);
        l.closeQuietly();
        log.warn("job '{}' rank {}: {} failed ({}); moving the pair to the relay (this rank took rank {}'s stream "
                + "up to byte {})", jobId, rank, l.description, reason, l.fixedPeer, l.takenOffset);
        try {
            repair.reportDown(l.fixedPeer, l.takenOffset, cause, reason);
        } catch (IOException | RuntimeException e) {
            throw new PeerFailureException(l.description + " failed (" + reason + ") and rank " + rank
                    + " could not tell " + repair.describe() + " to move it to the relay: " + e.getMessage(),
                    l.fixedPeer, e);
        }
    }

    /** Acts on the server's notices; called by the transport whenever {@link #hasNotices()}. */
    void drainNotices(Deadline deadline) {
        noticePending = false;
        LinkNotice n;
        while ((n = notices.poll()) != null) {
            Link l = transport.linkTo(n.peer());
            if (l == null || l.kind == LinkKind.RELAY) {
                log.debug("job '{}' rank {}: ignoring {} about rank {}: its pair is on the relay already", jobId,
                        rank, n, n.peer());
                continue;
            }
            if (l.log == null) {
                throw new FmiException("rank " + n.peer() + " of job '" + jobId + "' tries to heal its "
                        + l.kind.label() + " link to rank " + rank + ", but rank " + rank
                        + " does not heal such links: give every rank the same healLinks setting");
            }
            if (n instanceof LinkNotice.Down down) {
                linkFailed(l, "peer", "rank " + down.peer() + " gave it up: " + down.reason());
                moveToRelay(l, down.resumeFrom(), deadline);
            } else if (n instanceof LinkNotice.Stuck stuck) {
                String stall = stalledTowards(l, stuck);
                if (stall != null) {
                    linkFailed(l, "stall", stall);
                }
            }
        }
    }

    /**
     * Judges this rank's own direction of a link whose peer waits to read from it: stalled when bytes written at
     * least a window before the peer's word never reached the peer, or when bytes cannot be written at all.
     * Returns why, or null when nothing is owed (the peer waits for a message this rank has not sent yet).
     */
    private String stalledTowards(Link l, LinkNotice.Stuck stuck) {
        long now = System.nanoTime();
        l.readClocks(now);
        long windowNanos = Math.max(stallNanos, stuck.windowMillis() * 1_000_000L);
        if (!l.heals() || !stuck.peerWantsRead() || now - stuck.arrivedNanos() > windowNanos) {
            return null; // healed already, nothing to judge, or stale (the peer asks again while still stuck)
        }
        if (l.bytesSent > stuck.peerReceived() && l.lastWriteNanos < stuck.arrivedNanos() - windowNanos) {
            return "rank " + l.fixedPeer + " waited " + stuck.windowMillis() + " ms and had received "
                    + stuck.peerReceived() + " of the " + l.bytesSent + " bytes this rank wrote at least "
                    + (stuck.arrivedNanos() - l.lastWriteNanos) / 1_000_000 + " ms before";
        }
        boolean wantsWrite = !l.sendQueue.isEmpty() || l.ackOut.hasRemaining();
        long idle = now - Math.max(l.lastWriteNanos, l.activatedNanos);
        if (wantsWrite && idle >= windowNanos) {
            return "rank " + l.fixedPeer + " waited " + stuck.windowMillis() + " ms to read while this rank could "
                    + "write nothing to it for " + idle / 1_000_000 + " ms";
        }
        return null;
    }

    /** Resends what the peer did not take, then everything still queued, over the relay; receives follow. */
    private void moveToRelay(Link l, long peerResumesFrom, Deadline deadline) {
        SendLog sent = l.log;
        if (peerResumesFrom < sent.start() || peerResumesFrom > sent.end()) {
            throw new PeerFailureException("rank " + l.fixedPeer + " asks to resume this rank's stream at byte "
                    + peerResumesFrom + " after " + l.description + " failed, but only bytes " + sent.start() + ".."
                    + sent.end() + " are kept (job '" + jobId + "', rank " + rank + ")", l.fixedPeer);
        }
        Link relay = transport.relayLink();
        if (relay == null) {
            Connection c = repair.openRelay(deadline);
            try {
                relay = new Link(c.channel(), c.io(), LinkKind.RELAY, -1, "relay link via " + repair.describe()
                        + " (" + c.io().protection() + ")");
            } catch (IOException e) {
                throw new PeerFailureException("could not use the relay connection opened to heal " + l.description
                        + ": " + e.getMessage(), l.fixedPeer, e);
            }
            transport.adopt(relay);
        }
        byte[] resend = sent.copy(peerResumesFrom, sent.end());
        if (resend.length > 0) {
            SendRequest r = SendRequest.resend(l.fixedPeer, resend);
            relay.sendQueue.addLast(r);
            backlog.add(r);
        }
        int queued = l.sendQueue.size();
        relay.sendQueue.addAll(l.sendQueue);
        l.sendQueue.clear();
        relay.pendingRecvs += l.pendingRecvs;
        l.pendingRecvs = 0;
        transport.replace(l, relay);
        healed++;
        log.warn("job '{}' rank {}: {} moved to the relay after {} ms ({}): resent {} bytes from byte {}, {} messages "
                + "were still queued", jobId, rank, l.description, (System.nanoTime() - l.brokenAtNanos) / 1_000_000,
                l.brokenBecause, resend.length, peerResumesFrom, queued);
    }

    /** True once every resent stream has gone to the relay socket. */
    boolean backlogWritten() {
        if (backlog.isEmpty()) {
            return true;
        }
        backlog.removeIf(r -> r.done);
        return backlog.isEmpty();
    }

    /** The relay link while resent streams still wait for it, else null. */
    Link backlogLink() {
        return backlog.isEmpty() ? null : transport.relayLink();
    }

    /**
     * Called before parking: a healing link that owes or is owed something and has moved nothing for the stall
     * timeout is reported to the server, which declares it stalled only if its peer reports the same.
     */
    void reportStalls(Link[] active, int activeCount) {
        if (repair == null) {
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < activeCount; i++) {
            Link l = active[i];
            boolean wantsWrite = !l.sendQueue.isEmpty() || l.ackOut.hasRemaining();
            boolean wantsRead = l.pendingRecvs > 0;
            if (!l.heals() || !(wantsRead || wantsWrite) || now - l.lastProgressNanos < stallNanos
                    || now - l.lastStuckReportNanos < stallNanos) {
                continue;
            }
            l.lastStuckReportNanos = now;
            try {
                repair.reportStuck(l.fixedPeer, l.bytesSent, l.bytesReceived, wantsRead, wantsWrite,
                        stallNanos / 1_000_000);
                log.info("job '{}' rank {}: no progress on {} for {} ms (sent {}, received {}, {}); asked {} whether "
                        + "it stalled", jobId, rank, l.description, (now - l.lastProgressNanos) / 1_000_000,
                        l.bytesSent, l.bytesReceived, wantsRead ? "waiting to receive" : "waiting to send",
                        repair.describe());
            } catch (IOException e) {
                log.warn("job '{}' rank {}: could not report the stuck {} to {}: {}", jobId, rank, l.description,
                        repair.describe(), e.getMessage());
            }
        }
    }
}
