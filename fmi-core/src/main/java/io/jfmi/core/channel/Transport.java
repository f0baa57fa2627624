package io.jfmi.core.channel;

import io.jfmi.core.FmiException;
import io.jfmi.core.FmiTimeoutException;
import io.jfmi.core.LinkKind;
import io.jfmi.core.PeerFailureException;
import io.jfmi.core.rendezvous.LinkNotice;
import io.jfmi.core.rendezvous.LinkRepair;
import io.jfmi.core.util.Deadline;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The data path of one communicator: a link per peer (several peers may share the relay link) and a progress
 * engine that runs on the caller's thread. Waits spin, then park in a selector, always against a deadline. The
 * first failure is sticky: it closes every link (so peers blocked on this rank fail fast instead of timing out),
 * is reported through the failure sink, and every later call throws it again.
 */
public final class Transport implements AutoCloseable {
    /** Longest single park, so failures reported from outside are seen promptly even without a wakeup. */
    private static final long MAX_PARK_MILLIS = 100;
    /** How long a rank whose link broke waits for the server's word on which rank failed first. */
    private static final long ROOT_CAUSE_WAIT_NANOS = 300_000_000L;

    private final int rank;
    private final int size;
    private final String jobId;
    private final Link[] linkOf;
    private final List<Link> links;
    private final LinkHealer healer;
    private final PeerInbox[] inboxes;
    private final Selector selector;
    private final WaitStrategy wait;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Exchange exchange;
    private final Consumer<String> failureSink;
    private final Link[] active;
    private int activeCount;
    private int epoch;
    private volatile FmiException outsideFailure;
    private FmiException failure;
    private boolean closed;

    /**
     * @param linkOf      the link to each peer; null at this rank's own index
     * @param failureSink told (once) why this rank gave up, so the job's other ranks can be notified
     */
    public Transport(int rank, int size, String jobId, Link[] linkOf, WaitStrategy wait, int maxSegment,
            Consumer<String> failureSink) throws IOException {
        this(rank, size, jobId, linkOf, wait, maxSegment, failureSink, null, 0);
    }

    /**
     * @param repair     the server's side of moving failed links to the relay, or null when links cannot heal
     * @param stallNanos how long a healing link may make no progress before the server is asked whether it stalled
     */
    public Transport(int rank, int size, String jobId, Link[] linkOf, WaitStrategy wait, int maxSegment,
            Consumer<String> failureSink, LinkRepair repair, long stallNanos) throws IOException {
        if (linkOf.length != size) {
            throw new IllegalArgumentException("need one link slot per rank: " + linkOf.length + " != " + size);
        }
        this.rank = rank;
        this.size = size;
        this.jobId = jobId;
        this.linkOf = linkOf.clone();
        this.wait = wait;
        this.failureSink = failureSink;
        this.inboxes = new PeerInbox[size];
        for (int p = 0; p < size; p++) {
            inboxes[p] = new PeerInbox(p);
        }
        List<Link> distinct = new ArrayList<>();
        for (Link l : linkOf) {
            if (l != null && !distinct.contains(l)) {
                distinct.add(l);
            }
        }
        this.links = distinct;
        this.selector = Selector.open();
        for (Link l : links) {
            l.key = l.channel.register(selector, 0, l);
            l.interest = 0;
            if (l.second != null) {
                l.second.key = l.second.channel.register(selector, 0, l);
                l.second.interest = 0;
            }
        }
        this.active = new Link[Math.max(1, size)]; // every peer's link, plus a relay opened to heal one
        this.writer = new FrameWriter(rank, 0, maxSegment);
        this.reader = new FrameReader(rank, size, maxSegment, inboxes, jobId, writer);
        this.exchange = new Exchange(this);
        this.healer = new LinkHealer(this, rank, jobId, repair, stallNanos);
    }

    /** The single reusable exchange of this transport; callers are single-threaded. */
    public Exchange exchange() {
        return exchange;
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /** How this rank reaches {@code peer}, or null for itself. */
    public LinkKind linkKind(int peer) {
        Link l = linkOf[peer];
        return l == null ? null : l.kind;
    }

    /** TCP connections that carry the traffic with {@code peer}: 2 (a second for large messages), 1, or 0. */
    public int linkConnections(int peer) {
        Link l = linkOf[peer];
        return l == null ? 0 : l.second != null ? 2 : 1;
    }

    /** SO_SNDBUF of the direct link to {@code peer} as the kernel reports it; 0 for itself and the relay. */
    public int linkSendBufferBytes(int peer) {
        Link l = linkOf[peer];
        if (l == null || l.kind == LinkKind.RELAY) {
            return 0;
        }
        try {
            return l.channel.getOption(StandardSocketOptions.SO_SNDBUF);
        } catch (IOException e) {
            throw new FmiException("could not read the send buffer of " + l.description + ": " + e.getMessage(), e);
        }
    }

    /** What protects the bytes to {@code peer} on the wire ("plain", "AES-128-GCM", a TLS suite), or null for self. */
    public String linkProtection(int peer) {
        Link l = linkOf[peer];
        return l == null ? null : l.io.protection();
    }

    /** The server's word on a link (from the control thread); acted on by the caller's thread. */
    public void linkNotice(LinkNotice notice) {
        healer.offer(notice);
        failFromOutsideWakeup();
    }

    /** Bytes kept for resending on healing links, not yet acknowledged by the peers. */
    public long healingBytesRetained() {
        long retained = 0;
        for (Link l : links) {
            retained += l.log == null ? 0 : l.log.retained();
        }
        return retained;
    }

    /** How many failed direct links this transport moved to the relay. */
    public int healedLinks() {
        return healer.healed();
    }

    FrameReader reader() {
        return reader;
    }

    Link linkTo(int peer) {
        return peer >= 0 && peer < size ? linkOf[peer] : null;
    }

    /** The relay link, or null when no peer is relayed. */
    Link relayLink() {
        for (Link l : links) {
            if (l.kind == LinkKind.RELAY) {
                return l;
            }
        }
        return null;
    }

    /** Takes a relay link opened mid-job into the progress engine. */
    void adopt(Link relay) {
        try {
            relay.key = relay.channel.register(selector, 0, relay);
        } catch (IOException e) {
            throw new FmiException("could not watch the relay link opened on rank " + rank + ": " + e.getMessage(), e);
        }
        relay.interest = 0;
        links.add(relay);
    }

    /** The pair of {@code failed} now goes over {@code relay}, which joins the current exchange. */
    void replace(Link failed, Link relay) {
        linkOf[failed.fixedPeer] = relay;
        links.remove(failed);
        activate(relay);
    }

    /** Total payload and header bytes written to / read from every link. */
    public long bytesSent() {
        return links.stream().mapToLong(l -> l.bytesSent).sum();
    }

    public long bytesReceived() {
        return links.stream().mapToLong(l -> l.bytesReceived).sum();
    }

    /** The part of {@link #bytesReceived} that went through a link's buffer (copied once more) on its way. */
    public long bytesBuffered() {
        return links.stream().mapToLong(l -> l.bytesBuffered).sum();
    }

    /**
     * Records a failure seen outside the data path (e.g. the server reports a dead rank) and wakes the caller's
     * thread if it is parked. The next or current call throws it.
     */
    public void failFromOutside(FmiException e) {
        if (outsideFailure == null) {
            outsideFailure = e;
        }
        failFromOutsideWakeup();
    }

    private void failFromOutsideWakeup() {
        try {
            selector.wakeup();
            for (Link l : links) {
                l.wakeup();
            }
        } catch (ClosedSelectorException ignored) {
            // already closed: nothing to wake
        }
    }

    void complete(Exchange ex) {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new FmiException("communicator of rank " + rank + " in job '" + jobId + "' is closed");
        }
        try {
            post(ex);
            progress(ex);
        } catch (FmiException e) {
            throw fail(e);
        } catch (IOException e) {
            throw fail(new FmiException(ex.describe() + " in job '" + jobId + "' failed on rank " + rank + ": "
                    + e.getMessage(), e));
        }
    }

    private void post(Exchange ex) {
        epoch++;
        activeCount = 0;
        Link backlog = healer.backlogLink();
        if (backlog != null) {
            activate(backlog);
        }
        for (int i = 0; i < ex.sendCount; i++) {
            SendRequest s = ex.sends[i];
            checkPeer(s.peer, ex);
            if (s.peer == rank) {
                sendToSelf(s);
                continue;
            }
            Link l = linkOf[s.peer];
            l.sendQueue.addLast(s);
            activate(l);
        }
        int readingLinks = 0;
        int largestReceive = 0;
        for (int i = 0; i < ex.recvCount; i++) {
            RecvRequest r = ex.recvs[i];
            checkPeer(r.peer, ex);
            largestReceive = Math.max(largestReceive, r.expected);
            PeerInbox inbox = inboxes[r.peer];
            if (inbox.posted != null) {
                throw new IllegalStateException("two receives posted for rank " + r.peer + " in one step of "
                        + ex.describe());
            }
            inbox.posted = r;
            if (reader.deliverEarly(inbox, r)) {
                continue;
            }
            if (r.peer == rank) {
                inbox.posted = null;
                throw new FmiException(ex.describe() + ": rank " + rank + " receives from itself but sent nothing"
                        + " with that tag first");
            }
            Link l = linkOf[r.peer];
            if (l.pendingRecvs++ == 0) {
                readingLinks++; // a relay link can carry receives from several peers
            }
            activate(l);
        }
        reader.startCall(readingLinks, largestReceive);
    }

    private void checkPeer(int peer, Exchange ex) {
        if (peer < 0 || peer >= size) {
            throw new IllegalArgumentException(ex.describe() + ": peer rank " + peer + " outside 0.." + (size - 1));
        }
    }

    private void sendToSelf(SendRequest s) {
        UnexpectedMessage m = inboxes[rank].obtain(s.op, s.tag, s.total);
        m.data.put(s.data).flip();
        inboxes[rank].early.addLast(m);
        s.done = true;
    }

    /**
     * Writes a pending acknowledgement; a link that cannot take it is left to its reads. A peer that finished and
     * closed needs no acknowledgement, and what it sent before closing is still there to read: failing the call here
     * would throw that away. A peer that really failed shows it on the read that this call still needs.
     */
    private boolean writeAcknowledgement(Link l) {
        try {
            return writer.writeTo(l);
        } catch (IOException e) {
            l.ackOut.clear().limit(0);
            l.acknowledgementsRefused = true;
            return false;
        }
    }

    private void activate(Link l) {
        if (l.activeEpoch != epoch) {
            l.activeEpoch = epoch;
            active[activeCount++] = l;
            // The stall clocks start when the link is needed: idle time between calls is not a stall.
            l.activatedSinceClock = true;
        }
    }

    private void progress(Exchange ex) throws IOException {
        long spinStart = System.nanoTime();
        while (true) {
            if (healer.hasNotices()) {
                healer.drainNotices(Deadline.at(ex.deadlineNanos, ex.budgetMillis));
            }
            boolean moved = false;
            for (int i = 0; i < activeCount; i++) {
                Link l = active[i];
                if (l.brokenBecause != null) {
                    continue; // waiting for the peer's word through the server
                }
                boolean sending = !l.sendQueue.isEmpty();
                try {
                    boolean linkMoved = false;
                    if (sending || l.ackOut.hasRemaining()) {
                        linkMoved = sending ? writer.writeTo(l) : writeAcknowledgement(l);
                    }
                    // Reading while sending too: a peer that sends to us at the same time is drained into early
                    // messages instead of both sides blocking on full socket buffers.
                    if (sending || l.pendingRecvs > 0) {
                        linkMoved |= reader.readFrom(l);
                    }
                    if (linkMoved) {
                        moved = true;
                        l.movedSinceClock = true;
                    }
                } catch (IOException e) {
                    if (l.sendQueue.isEmpty() && l.pendingRecvs == 0) {
                        // This call's sends over the link are done and it expects nothing from it: the failure
                        // came from reading while sending (an acknowledgement's failure never gets here, see
                        // writeAcknowledgement). A peer that finished and closed resets it; a later call that
                        // needs the link will say so.
                        l.ackOut.clear().limit(0);
                        l.peerClosed = true;
                        continue;
                    }
                    if (!healer.canHeal(l)) {
                        throw new PeerFailureException(ex.describe() + " in job '" + jobId + "' on rank " + rank
                                + " (this process): " + l.description + " failed: " + reason(e), l.fixedPeer,
                                e);
                    }
                    healer.linkFailed(l, "error", "connection error: " + e);
                    moved = true;
                }
            }
            if (allDone(ex) && healer.backlogWritten()) {
                ex.finishLocalCopy();
                return;
            }
            for (int i = 0; i < activeCount; i++) {
                Link l = active[i];
                if (l.peerClosed && l.brokenBecause == null && (l.pendingRecvs > 0 || !l.sendQueue.isEmpty())) {
                    if (!healer.canHeal(l)) {
                        throw reader.closedByPeer(l);
                    }
                    healer.linkFailed(l, "eof", "rank " + l.fixedPeer + " closed the connection (end of stream)");
                    moved = true;
                }
            }
            if (moved) {
                spinStart = System.nanoTime();
                continue;
            }
            FmiException outside = outsideFailure;
            if (outside != null) {
                throw whileWaiting(outside, ex);
            }
            if (ex.copyLocalSlice()) {
                spinStart = System.nanoTime(); // local work instead of a spin turn
                continue;
            }
            long spun = System.nanoTime() - spinStart;
            if (spun < wait.spinNanos()) {
                if (wait.yieldAfter(spun)) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
                continue;
            }
            park(ex);
            spinStart = System.nanoTime();
        }
    }

    private boolean allDone(Exchange ex) {
        for (int i = 0; i < ex.sendCount; i++) {
            if (!ex.sends[i].done) {
                return false;
            }
        }
        for (int i = 0; i < ex.recvCount; i++) {
            if (!ex.recvs[i].done) {
                return false;
            }
        }
        return true;
    }

    private void park(Exchange ex) throws IOException {
        long remainingNanos = ex.deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
            throw timeout(ex);
        }
        long remaining = Math.max(1, remainingNanos / 1_000_000L);
        long now = System.nanoTime();
        for (Link l : links) {
            l.readClocks(now);
        }
        healer.reportStalls(active, activeCount);
        Link onlyReader = singleReader();
        if (onlyReader != null) {
            onlyReader.awaitReadable(Math.min(remaining, MAX_PARK_MILLIS));
            return;
        }
        for (Link l : links) {
            if (l.brokenBecause != null) {
                continue;
            }
            // Watch only links that still owe this exchange something: a wake-up costs tens of µs.
            boolean sending = l.activeEpoch == epoch && !l.sendQueue.isEmpty();
            boolean receiving = l.activeEpoch == epoch && l.pendingRecvs > 0;
            if (l.second == null) {
                watch(l, (sending || receiving ? SelectionKey.OP_READ : 0) | (sending ? SelectionKey.OP_WRITE : 0));
            } else {
                watchBoth(l, sending, receiving);
            }
        }
        selector.select(Math.min(remaining, MAX_PARK_MILLIS));
        selector.selectedKeys().clear();
    }

    /** An I/O error's message, or its kind when it has none (a closed channel says nothing else). */
    private static String reason(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void watch(Link l, int ops) {
        if (l.interest != ops) {
            l.key.interestOps(ops);
            l.interest = ops;
        }
    }

    /**
     * A link with two connections waits only on the one that can move its bytes now: a readable or writable
     * connection that is not being used would wake the rank again at once.
     */
    private static void watchBoth(Link l, boolean sending, boolean receiving) {
        SecondConnection second = l.second;
        SendRequest head = l.sendQueue.peek();
        boolean writingSecond = sending && head != null && head.onSecond && !second.marker.hasRemaining();
        boolean readingSecond = second.reading && (sending || receiving);
        int firstOps = ((sending || receiving) && !second.reading ? SelectionKey.OP_READ : 0)
                | (sending && !writingSecond ? SelectionKey.OP_WRITE : 0);
        watch(l, firstOps);
        int secondOps = (readingSecond ? SelectionKey.OP_READ : 0) | (writingSecond ? SelectionKey.OP_WRITE : 0);
        if (second.interest != secondOps) {
            second.key.interestOps(secondOps);
            second.interest = secondOps;
        }
    }

    /** The one active link still expected to deliver, when no link is still sending; else null. */
    private Link singleReader() {
        Link only = null;
        for (int i = 0; i < activeCount; i++) {
            Link l = active[i];
            if (l.brokenBecause != null || !l.sendQueue.isEmpty() || l.readingSecond()) {
                return null; // (its own selector waits on the first connection only)
            }
            if (l.pendingRecvs > 0) {
                if (only != null) {
                    return null;
                }
                only = l;
            }
        }
        return only;
    }

    private FmiTimeoutException timeout(Exchange ex) {
        return new FmiTimeoutException(String.format(
                "%s in job '%s' timed out after %d ms on rank %d (this process), still waiting for %s; "
                        + "that rank may be dead, stuck, or in a different operation",
                ex.describe(), jobId, ex.budgetMillis, rank, stillOwed(ex)));
    }

    /**
     * A failure reported from elsewhere, with what this rank was still waiting for: when another rank gave up
     * waiting on this one, this rank's own wait names the rank that really holds the job up.
     */
    private FmiException whileWaiting(FmiException outside, Exchange ex) {
        String owed = stillOwed(ex);
        if (owed.isEmpty()) {
            return outside;
        }
        int culprit = outside instanceof PeerFailureException p ? p.peerRank() : -1;
        return new PeerFailureException(outside.getMessage() + "; rank " + rank + " was itself still waiting in "
                + ex.describe() + " for " + owed, culprit, outside);
    }

    /** What {@code ex} still waits for: messages not yet arrived, sends not yet taken, links not yet moved. */
    private String stillOwed(Exchange ex) {
        StringBuilder waiting = new StringBuilder();
        for (int i = 0; i < ex.recvCount; i++) {
            RecvRequest r = ex.recvs[i];
            if (!r.done) {
                waiting.append(waiting.length() == 0 ? "" : "; ").append("a ").append(r.expected)
                        .append("-byte message from rank ").append(r.peer).append(" (").append(kindOf(r.peer))
                        .append(" link, ").append(r.received).append(" bytes arrived)");
            }
        }
        for (int i = 0; i < ex.sendCount; i++) {
            SendRequest s = ex.sends[i];
            if (!s.done) {
                waiting.append(waiting.length() == 0 ? "" : "; ").append("rank ").append(s.peer)
                        .append(" to take a ").append(s.total).append("-byte message (").append(kindOf(s.peer))
                        .append(" link)");
            }
        }
        for (Link l : links) {
            if (l.brokenBecause != null) {
                waiting.append(waiting.length() == 0 ? "" : "; ").append("the ").append(l.description)
                        .append(", which had failed (").append(l.brokenBecause).append(") and rank ")
                        .append(l.fixedPeer).append(" never answered through the server to move the pair to the "
                        + "relay");
            }
        }
        return waiting.toString();
    }

    private String kindOf(int peer) {
        Link l = linkOf[peer];
        return l == null ? "self" : l.kind.label();
    }

    /**
     * Makes {@code e} this transport's sticky failure, tells the sink, closes the links, and returns it. A timeout is
     * told before waiting for a root cause: the ranks waiting on this one time out a moment later and listen for
     * that long; told after this rank's own wait, the news would reach them just as they stopped listening.
     */
    private FmiException fail(FmiException e) {
        if (failure == null) {
            boolean tellFirst = e instanceof FmiTimeoutException;
            try {
                if (tellFirst) {
                    failureSink.accept(e.getMessage());
                }
                failure = withRootCause(e);
                if (!tellFirst) {
                    failureSink.accept(e.getMessage());
                }
            } finally {
                if (failure == null) {
                    failure = e;
                }
                closeLinks(Set.of());
            }
        }
        return failure;
    }

    /**
     * A broken link is often a consequence: the peer gave up because a third rank died. The server tells every
     * rank which rank failed first, usually within milliseconds, so wait briefly for that notice and name it.
     */
    private FmiException withRootCause(FmiException e) {
        // A timeout is often a consequence too: the rank this one waits on is itself waiting on a dead one, and
        // times out a moment earlier.
        if (!(e instanceof PeerFailureException || e instanceof FmiTimeoutException) || e == outsideFailure
                || (e.getCause() != null && e.getCause() == outsideFailure)) {
            return e;
        }
        long until = System.nanoTime() + ROOT_CAUSE_WAIT_NANOS;
        while (outsideFailure == null && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        FmiException outside = outsideFailure;
        if (outside == null) {
            return e;
        }
        if (e instanceof FmiTimeoutException) {
            // Still a timeout here (callers tell timeouts apart), but naming what failed first elsewhere.
            FmiTimeoutException t = new FmiTimeoutException(e.getMessage() + "; meanwhile " + outside.getMessage());
            t.initCause(e);
            return t;
        }
        int culprit = outside instanceof PeerFailureException p ? p.peerRank() : -1;
        return new PeerFailureException(outside.getMessage() + "; seen here as: " + e.getMessage(), culprit, e);
    }

    /** The failure that broke this transport, or null while healthy. */
    public FmiException failure() {
        return failure;
    }

    /** Closes every link but those in {@code except} (healing links still draining in the background). */
    private void closeLinks(Set<Link> except) {
        for (Link l : links) {
            if (!except.contains(l)) {
                l.closeQuietly();
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // An orderly exit must not reset a link that still carries our last bytes; slow peers' links linger.
        closeLinks(failure == null ? HealingLinkCloser.closeAll(links) : Set.of());
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
