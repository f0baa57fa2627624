package io.jfmi.core.channel;

import io.jfmi.core.FmiException;
import io.jfmi.core.FmiTimeoutException;
import io.jfmi.core.LinkKind;
import io.jfmi.core.PeerFailureException;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        this.links = Collections.unmodifiableList(distinct);
        this.selector = Selector.open();
        for (Link l : links) {
            l.key = l.channel.register(selector, 0, l);
            l.interest = 0;
        }
        this.active = new Link[Math.max(1, links.size())];
        this.reader = new FrameReader(rank, size, maxSegment, inboxes, jobId);
        this.writer = new FrameWriter(rank, 0, maxSegment);
        this.exchange = new Exchange(this);
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

    /** What protects the bytes to {@code peer} on the wire ("plain", "AES-128-GCM", a TLS suite), or null for self. */
    public String linkProtection(int peer) {
        Link l = linkOf[peer];
        return l == null ? null : l.io.protection();
    }

    /** Total payload and header bytes written to / read from every link. */
    public long bytesSent() {
        return links.stream().mapToLong(l -> l.bytesSent).sum();
    }

    public long bytesReceived() {
        return links.stream().mapToLong(l -> l.bytesReceived).sum();
    }

    /**
     * Records a failure seen outside the data path (e.g. the server reports a dead rank) and wakes the caller's
     * thread if it is parked. The next or current call throws it.
     */
    public void failFromOutside(FmiException e) {
        if (outsideFailure == null) {
            outsideFailure = e;
        }
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
        for (int i = 0; i < ex.recvCount; i++) {
            RecvRequest r = ex.recvs[i];
            checkPeer(r.peer, ex);
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
            l.pendingRecvs++;
            activate(l);
        }
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

    private void activate(Link l) {
        if (l.activeEpoch != epoch) {
            l.activeEpoch = epoch;
            active[activeCount++] = l;
        }
    }

    private void progress(Exchange ex) throws IOException {
        long spinStart = System.nanoTime();
        while (true) {
            boolean moved = false;
            for (int i = 0; i < activeCount; i++) {
                Link l = active[i];
                boolean sending = !l.sendQueue.isEmpty();
                try {
                    if (sending) {
                        moved |= writer.writeTo(l);
                    }
                    // Reading while sending too: a peer that sends to us at the same time is drained into early
                    // messages instead of both sides blocking on full socket buffers.
                    if (sending || l.pendingRecvs > 0) {
                        moved |= reader.readFrom(l);
                    }
                } catch (IOException e) {
                    throw new PeerFailureException(ex.describe() + " in job '" + jobId + "' on rank " + rank
                            + " (this process): " + l.description + " failed: " + e.getMessage(), l.fixedPeer, e);
                }
            }
            if (allDone(ex)) {
                return;
            }
            for (int i = 0; i < activeCount; i++) {
                Link l = active[i];
                if (l.peerClosed && (l.pendingRecvs > 0 || !l.sendQueue.isEmpty())) {
                    throw reader.closedByPeer(l);
                }
            }
            if (moved) {
                spinStart = System.nanoTime();
                continue;
            }
            FmiException outside = outsideFailure;
            if (outside != null) {
                throw outside;
            }
            if (System.nanoTime() - spinStart < wait.spinNanos()) {
                if (wait.yieldWhileSpinning()) {
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
        Link onlyReader = singleReader();
        if (onlyReader != null) {
            onlyReader.awaitReadable(Math.min(remaining, MAX_PARK_MILLIS));
            return;
        }
        for (Link l : links) {
            // Watch only links that still owe this exchange something: a wake-up costs tens of µs.
            boolean sending = l.activeEpoch == epoch && !l.sendQueue.isEmpty();
            boolean receiving = l.activeEpoch == epoch && l.pendingRecvs > 0;
            int want = (sending || receiving ? SelectionKey.OP_READ : 0) | (sending ? SelectionKey.OP_WRITE : 0);
            if (l.interest != want) {
                l.key.interestOps(want);
                l.interest = want;
            }
        }
        selector.select(Math.min(remaining, MAX_PARK_MILLIS));
        selector.selectedKeys().clear();
    }

    /** The one active link still expected to deliver, when no link is still sending; else null. */
    private Link singleReader() {
        Link only = null;
        for (int i = 0; i < activeCount; i++) {
            Link l = active[i];
            if (!l.sendQueue.isEmpty()) {
                return null;
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
        return new FmiTimeoutException(String.format(
                "%s in job '%s' timed out after %d ms on rank %d (this process), still waiting for %s; "
                        + "that rank may be dead, stuck, or in a different operation",
                ex.describe(), jobId, ex.budgetMillis, rank, waiting));
    }

    private String kindOf(int peer) {
        Link l = linkOf[peer];
        return l == null ? "self" : l.kind.label();
    }

    /** Makes {@code e} this transport's sticky failure, tells the sink, closes the links, and returns it. */
    private FmiException fail(FmiException e) {
        if (failure == null) {
            failure = withRootCause(e);
            try {
                failureSink.accept(e.getMessage());
            } finally {
                closeLinks();
            }
        }
        return failure;
    }

    /**
     * A broken link is often a consequence: the peer gave up because a third rank died. The server tells every
     * rank which rank failed first, usually within milliseconds, so wait briefly for that notice and name it.
     */
    private FmiException withRootCause(FmiException e) {
        if (!(e instanceof PeerFailureException) || e == outsideFailure) {
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
        int culprit = outside instanceof PeerFailureException p ? p.peerRank() : -1;
        return new PeerFailureException(outside.getMessage() + "; seen here as: " + e.getMessage(), culprit, e);
    }

    /** The failure that broke this transport, or null while healthy. */
    public FmiException failure() {
        return failure;
    }

    private void closeLinks() {
        for (Link l : links) {
            l.closeQuietly();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeLinks();
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
