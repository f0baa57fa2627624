package io.jfmi.core;

import io.jfmi.core.channel.DirectLinks;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Link;
import io.jfmi.core.channel.Links;
import io.jfmi.core.channel.Transport;
import io.jfmi.core.channel.WaitStrategy;
import io.jfmi.core.collective.Allgather;
import io.jfmi.core.collective.Allreduce;
import io.jfmi.core.collective.Alltoall;
import io.jfmi.core.collective.Barrier;
import io.jfmi.core.collective.Bcast;
import io.jfmi.core.collective.Blocks;
import io.jfmi.core.collective.CollectiveContext;
import io.jfmi.core.collective.Gather;
import io.jfmi.core.collective.Reduce;
import io.jfmi.core.collective.ReduceScatter;
import io.jfmi.core.collective.Scan;
import io.jfmi.core.collective.Scatter;
import io.jfmi.core.rendezvous.LocalEndpoints;
import io.jfmi.core.rendezvous.Rendezvous;
import io.jfmi.core.rendezvous.ServerRendezvous;
import io.jfmi.core.util.Deadline;
import io.jfmi.core.wire.TlsClient;
import io.jfmi.core.util.Scratch;
import io.jfmi.protocol.ChannelPlanner;
import io.jfmi.protocol.OpCode;
import io.jfmi.protocol.proto.ChannelPlan;
import io.jfmi.protocol.proto.PeerTable;
import io.jfmi.protocol.proto.Register;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rank {@link #rank()} of a job of {@link #size()} ranks: point-to-point messages and collectives over direct or
 * relayed TCP links. Every call blocks the caller's thread (the data path runs on it, no hand-off) until done or
 * until its deadline ({@link CommunicatorOptions#operationTimeout()}); every rank must call the same collectives
 * in the same order. Not thread-safe: use one communicator per thread. After any failure the communicator is
 * broken and every call rethrows that failure; close it.
 */
public final class Communicator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Communicator.class);

    private final CommunicatorOptions options;
    private final Rendezvous rendezvous;
    private final Transport transport;
    private final CollectiveContext ctx;
    private final Scratch scratch = new Scratch();
    private final long operationTimeoutMillis;
    private boolean closed;
    private long setupMillis;
    private int refusedLinkAttempts;

    private Communicator(CommunicatorOptions options, Rendezvous rendezvous, Transport transport) {
        this.options = options;
        this.rendezvous = rendezvous;
        this.transport = transport;
        this.operationTimeoutMillis = options.operationTimeout().toMillis();
        this.ctx = new CollectiveContext(transport, scratch, operationTimeoutMillis, options.tuning());
    }

    /** Joins a job through the rendezvous server named in the options. */
    public static Communicator connect(CommunicatorOptions options) {
        byte[] secret = options.secret();
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("a job secret is required to join through a rendezvous server");
        }
        InetSocketAddress server = new InetSocketAddress(options.rendezvous().getHostString(),
                options.rendezvous().getPort());
        TlsClient tls = null;
        if (options.tls()) {
            try {
                tls = TlsClient.trusting(options.tlsTrust());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return connect(options, new ServerRendezvous(server, options.jobId(), options.rank(), options.worldSize(),
                secret, options.connectTimeout().toMillis(), tls));
    }

    /** Joins the ranks of one JVM that share {@code job} (direct links only). */
    public static Communicator connect(CommunicatorOptions options, LocalJob job) {
        return connect(options, job.rendezvousFor(options.rank()));
    }

    /** Joins through any {@link Rendezvous}. The communicator owns it from now on. */
    static Communicator connect(CommunicatorOptions options, Rendezvous rendezvous) {
        try {
            long start = System.nanoTime();
            JobSetup.Result setup = JobSetup.establish(options, rendezvous);
            Communicator c = new Communicator(options, rendezvous, setup.transport());
            c.refusedLinkAttempts = setup.refusedLinks();
            c.setupMillis = (System.nanoTime() - start) / 1_000_000;
            rendezvous.watchLinks(setup.transport()::linkNotice);
            rendezvous.watch(setup.transport()::failFromOutside);
            return c;
        } catch (RuntimeException e) {
            rendezvous.close();
            throw e;
        }
    }

    public int rank() {
        return transport.rank();
    }

    public int size() {
        return transport.size();
    }

    public String jobId() {
        return options.jobId();
    }

    /** How this rank reaches {@code peer} (null for itself); RELAY once a failed direct link moved there. */
    public LinkKind linkKind(int peer) {
        return transport.linkKind(peer);
    }

    /**
     * How many TCP connections carry this rank's traffic with {@code peer}: 2 when the link has a second one for the
     * dialer's large messages (see {@link CommunicatorOptions}), 1 for one connection or the relay, 0 for itself.
     */
    public int linkConnections(int peer) {
        return transport.linkConnections(peer);
    }

    /**
     * The send buffer (SO_SNDBUF) the kernel reports for the direct link to {@code peer} (Linux reports twice what
     * was set), or 0 for itself and relayed peers: a local link's follows the size of the last message it started
     * (see {@link CommunicatorOptions#sendBuffersFor}).
     */
    public int linkSendBufferBytes(int peer) {
        return transport.linkSendBufferBytes(peer);
    }

    /** Bytes this rank keeps of what it sent on healing links until the peers acknowledge them. */
    public long healingBytesRetained() {
        return transport.healingBytesRetained();
    }

    /** How many of this rank's direct links failed mid-job and were moved to the relay (see {@link HealLinks}). */
    public int healedLinks() {
        return transport.healedLinks();
    }

    /**
     * What protects the bytes to {@code peer} on the wire: "plain", "AES-128-GCM" (a sealed direct link), or the
     * TLS protocol and suite of the relay connection; null for this rank itself.
     */
    public String linkProtection(int peer) {
        return transport.linkProtection(peer);
    }

    /**
     * Connections to this rank's data port that its setup refused: a wrong, foreign or replayed link MAC, an
     * unexpected rank, a second link from a rank that has one, or bytes that are not a link handshake.
     */
    public int refusedLinkAttempts() {
        return refusedLinkAttempts;
    }

    /** How long joining took: registration, link setup (dialing, punching) and the channel plan, in ms. */
    public long setupMillis() {
        return setupMillis;
    }

    /** Bytes this rank has written to / read from its links, headers included. */
    public long bytesSent() {
        return transport.bytesSent();
    }

    public long bytesReceived() {
        return transport.bytesReceived();
    }

    /** The part of {@link #bytesReceived} read into a link's buffer and copied on (tests of the read path). */
    long bytesBuffered() {
        return transport.bytesBuffered();
    }

    // ---- point to point -------------------------------------------------------------------------------

    /** Sends {@code data} to {@code dst} with a user tag (>= 0); returns once the bytes are handed to TCP. */
    public void send(int dst, int tag, DataBuffer data) {
        checkTag(tag);
        ByteBuffer view = data.readView(scratch, Scratch.STAGING_IN);
        Exchange ex = transport.exchange().begin(OpCode.SEND_RECV, tag, operationTimeoutMillis, data.byteSize());
        ex.send(dst, tag, view, 0, data.byteSize());
        ex.await();
    }

    /**
     * Receives a message from {@code src} with {@code tag} into {@code data}; the message may be shorter than the
     * buffer. Returns the number of elements received.
     */
    public int recv(int src, int tag, DataBuffer data) {
        checkTag(tag);
        ByteBuffer view = data.writeView(scratch, Scratch.STAGING_OUT);
        Exchange ex = transport.exchange().begin(OpCode.SEND_RECV, tag, operationTimeoutMillis, data.byteSize());
        ex.recv(src, tag, view, 0, data.byteSize(), true);
        ex.await();
        int bytes = ex.receivedBytes(0);
        data.commit(scratch, Scratch.STAGING_OUT);
        if (bytes % data.type().size() != 0) {
            throw new CollectiveMismatchException("rank " + src + " sent " + bytes + " bytes to rank " + rank()
                    + ", not a whole number of " + data.type() + " elements");
        }
        return bytes / data.type().size();
    }

    // ---- collectives ----------------------------------------------------------------------------------

    /** Returns once every rank has entered the barrier. */
    public void barrier() {
        Barrier.run(ctx);
    }

    /** Broadcasts {@code data} from {@code root} into the same-sized {@code data} of every rank. */
    public void bcast(DataBuffer data, int root) {
        checkRoot(root);
        ByteBuffer view = rank() == root ? data.readView(scratch, Scratch.STAGING_IN)
                : data.writeView(scratch, Scratch.STAGING_IN);
        Bcast.run(ctx, view, data.byteSize(), root);
        data.commit(scratch, Scratch.STAGING_IN);
    }

    /** Every rank contributes {@code send}; {@code recv} (size x send.count) gets all blocks in rank order. */
    public void allgather(DataBuffer send, DataBuffer recv) {
        requireSameType(send, recv, "allgather");
        requireCount(recv, (long) send.count() * size(), "allgather receive buffer");
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = recv.writeView(scratch, Scratch.STAGING_OUT);
        Allgather.run(ctx, in, out, send.byteSize());
        recv.commit(scratch, Scratch.STAGING_OUT);
    }

    /** The root gets every rank's {@code send} block in rank order in {@code recv}; others may pass null. */
    public void gather(DataBuffer send, DataBuffer recv, int root) {
        checkRoot(root);
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = null;
        if (rank() == root) {
            Objects.requireNonNull(recv, "gather: the root needs a receive buffer");
            requireSameType(send, recv, "gather");
            requireCount(recv, (long) send.count() * size(), "gather receive buffer");
            out = recv.writeView(scratch, Scratch.STAGING_OUT);
        }
        Gather.run(ctx, in, out, Blocks.ofCounts(equal(send.count()), send.type().size()), root);
        if (out != null) {
            recv.commit(scratch, Scratch.STAGING_OUT);
        }
    }

    /** Like {@link #gather} with per-rank element counts: rank r sends {@code counts[r]} elements. */
    public void gatherv(DataBuffer send, DataBuffer recv, int[] counts, int root) {
        checkRoot(root);
        Blocks blocks = blocks(counts, send.type(), "gatherv");
        requireCount(send, counts[rank()], "gatherv send buffer (counts[" + rank() + "])");
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = null;
        if (rank() == root) {
            Objects.requireNonNull(recv, "gatherv: the root needs a receive buffer");
            requireSameType(send, recv, "gatherv");
            requireCount(recv, sum(counts), "gatherv receive buffer");
            out = recv.writeView(scratch, Scratch.STAGING_OUT);
        }
        Gather.run(ctx, in, out, blocks, root);
        if (out != null) {
            recv.commit(scratch, Scratch.STAGING_OUT);
        }
    }

    /** The root's {@code send} (size x recv.count elements) is cut into blocks; rank r gets block r. */
    public void scatter(DataBuffer send, DataBuffer recv, int root) {
        scatterv(send, equal(recv.count()), recv, root);
    }

    /** Like {@link #scatter} with per-rank element counts. {@code send} may be null except at the root. */
    public void scatterv(DataBuffer send, int[] counts, DataBuffer recv, int root) {
        checkRoot(root);
        Blocks blocks = blocks(counts, recv.type(), "scatterv");
        requireCount(recv, counts[rank()], "scatterv receive buffer (counts[" + rank() + "])");
        ByteBuffer in = null;
        if (rank() == root) {
            Objects.requireNonNull(send, "scatter: the root needs a send buffer");
            requireSameType(send, recv, "scatter");
            requireCount(send, sum(counts), "scatter send buffer");
            in = send.readView(scratch, Scratch.STAGING_IN);
        }
        ByteBuffer out = recv.writeView(scratch, Scratch.STAGING_OUT);
        Scatter.run(ctx, in, out, blocks, root);
        recv.commit(scratch, Scratch.STAGING_OUT);
    }

    /** Like {@link #allgather} with per-rank element counts: rank r contributes {@code counts[r]} elements. */
    public void allgatherv(DataBuffer send, DataBuffer recv, int[] counts) {
        requireSameType(send, recv, "allgatherv");
        Blocks blocks = blocks(counts, send.type(), "allgatherv");
        requireCount(send, counts[rank()], "allgatherv send buffer (counts[" + rank() + "])");
        requireCount(recv, sum(counts), "allgatherv receive buffer");
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = recv.writeView(scratch, Scratch.STAGING_OUT);
        Allgather.runV(ctx, in, out, blocks);
        recv.commit(scratch, Scratch.STAGING_OUT);
    }

    /** Element-wise reduction of every rank's {@code send} into the root's {@code recv} (others may pass null). */
    public void reduce(DataBuffer send, DataBuffer recv, ReduceOp op, int root) {
        checkRoot(root);
        Objects.requireNonNull(op, "op");
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = null;
        if (rank() == root) {
            Objects.requireNonNull(recv, "reduce: the root needs a receive buffer");
            requireSameType(send, recv, "reduce");
            requireCount(recv, send.count(), "reduce receive buffer");
            out = recv.writeView(scratch, Scratch.STAGING_OUT);
        }
        Reduce.run(ctx, in, out, send.type(), send.count(), op, root);
        if (out != null) {
            recv.commit(scratch, Scratch.STAGING_OUT);
        }
    }

    /** Element-wise reduction of every rank's {@code send}, delivered to every rank's {@code recv}. */
    public void allreduce(DataBuffer send, DataBuffer recv, ReduceOp op) {
        Objects.requireNonNull(op, "op");
        requireSameType(send, recv, "allreduce");
        requireCount(recv, send.count(), "allreduce receive buffer");
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = recv.writeView(scratch, Scratch.STAGING_OUT);
        Allreduce.run(ctx, in, out, send.type(), send.count(), op);
        recv.commit(scratch, Scratch.STAGING_OUT);
    }

    /** In-place allreduce: {@code data} holds this rank's contribution before and the result after. */
    public void allreduce(DataBuffer data, ReduceOp op) {
        Objects.requireNonNull(op, "op");
        ByteBuffer view = data.readView(scratch, Scratch.STAGING_OUT);
        Allreduce.run(ctx, view, view, data.type(), data.count(), op);
        data.commit(scratch, Scratch.STAGING_OUT);
    }

    /** Inclusive prefix reduction: rank r gets {@code send(0) op ... op send(r)}. */
    public void scan(DataBuffer send, DataBuffer recv, ReduceOp op) {
        scan(send, recv, op, false);
    }

    /** Exclusive prefix reduction: rank r gets {@code send(0) op ... op send(r-1)}; rank 0's recv is untouched. */
    public void exscan(DataBuffer send, DataBuffer recv, ReduceOp op) {
        scan(send, recv, op, true);
    }

    private void scan(DataBuffer send, DataBuffer recv, ReduceOp op, boolean exclusive) {
        Objects.requireNonNull(op, "op");
        requireSameType(send, recv, exclusive ? "exscan" : "scan");
        requireCount(recv, send.count(), (exclusive ? "exscan" : "scan") + " receive buffer");
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = exclusive ? recv.readView(scratch, Scratch.STAGING_OUT)
                : recv.writeView(scratch, Scratch.STAGING_OUT);
        Scan.run(ctx, in, out, send.type(), send.count(), op, exclusive);
        recv.commit(scratch, Scratch.STAGING_OUT);
    }

    /** Reduces {@code send} (size x recv.count elements) element-wise over all ranks; rank r gets block r. */
    public void reduceScatter(DataBuffer send, DataBuffer recv, ReduceOp op) {
        reduceScatter(send, recv, equal(recv.count()), op);
    }

    /** Like {@link #reduceScatter} with per-rank block sizes ({@code counts[r]} elements go to rank r). */
    public void reduceScatter(DataBuffer send, DataBuffer recv, int[] counts, ReduceOp op) {
        Objects.requireNonNull(op, "op");
        requireSameType(send, recv, "reduceScatter");
        Blocks blocks = blocks(counts, send.type(), "reduceScatter");
        requireCount(send, sum(counts), "reduceScatter send buffer");
        requireCount(recv, counts[rank()], "reduceScatter receive buffer (counts[" + rank() + "])");
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = recv.writeView(scratch, Scratch.STAGING_OUT);
        ReduceScatter.run(ctx, in, out, send.type(), blocks, op);
        recv.commit(scratch, Scratch.STAGING_OUT);
    }

    /** Block p of {@code send} goes to rank p; block p of {@code recv} comes from rank p (equal blocks). */
    public void alltoall(DataBuffer send, DataBuffer recv) {
        requireSameType(send, recv, "alltoall");
        if (send.count() % size() != 0) {
            throw new IllegalArgumentException("alltoall send buffer holds " + send.count() + " elements, not a "
                    + "multiple of the " + size() + " ranks");
        }
        int[] counts = equal(send.count() / size());
        alltoallBlocks(send, counts, recv, counts, true, "alltoall");
    }

    /**
     * Like {@link #alltoall} with per-rank counts: {@code sendCounts[p]} elements to p, {@code recvCounts[p]} from
     * p.
     */
    public void alltoallv(DataBuffer send, int[] sendCounts, DataBuffer recv, int[] recvCounts) {
        requireSameType(send, recv, "alltoallv");
        alltoallBlocks(send, sendCounts, recv, recvCounts, false, "alltoallv");
    }

    private void alltoallBlocks(DataBuffer send, int[] sendCounts, DataBuffer recv, int[] recvCounts,
            boolean equalBlocks, String name) {
        Blocks sendBlocks = blocks(sendCounts, send.type(), name + " send");
        Blocks recvBlocks = blocks(recvCounts, recv.type(), name + " receive");
        requireCount(send, sum(sendCounts), name + " send buffer");
        requireCount(recv, sum(recvCounts), name + " receive buffer");
        if (sendCounts[rank()] != recvCounts[rank()]) {
            throw new IllegalArgumentException(name + ": this rank sends itself " + sendCounts[rank()]
                    + " elements but expects " + recvCounts[rank()]);
        }
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = recv.writeView(scratch, Scratch.STAGING_OUT);
        Alltoall.run(ctx, in, sendBlocks, out, recvBlocks, equalBlocks);
        recv.commit(scratch, Scratch.STAGING_OUT);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /**
     * Leaves the job: tells the server this is an orderly exit, then closes every link. Healing links end their
     * output first and wait (up to 1 s) for the peer to end its side, so the last bytes sent are not lost.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (transport.failure() == null) {
            rendezvous.leave();
        }
        transport.close();
        rendezvous.close();
    }

    /**
     * Ends the job for everyone: the server tells every other rank that this one aborted with {@code reason}, so
     * their pending and next calls fail with a {@link PeerFailureException} naming it. Closes this communicator.
     */
    public void abort(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        rendezvous.abort(reason);
        transport.close();
        rendezvous.close();
    }

    private void checkRoot(int root) {
        if (root < 0 || root >= size()) {
            throw new IllegalArgumentException("root " + root + " outside 0.." + (size() - 1) + " (job '"
                    + jobId() + "', rank " + rank() + ")");
        }
    }

    private static void checkTag(int tag) {
        if (tag < 0) {
            throw new IllegalArgumentException("tags must be >= 0, got " + tag);
        }
    }

    private static void requireSameType(DataBuffer a, DataBuffer b, String op) {
        if (b != null && a.type() != b.type()) {
            throw new IllegalArgumentException(op + ": send buffer holds " + a.type() + " but receive buffer holds "
                    + b.type());
        }
    }

    private int[] equal(int count) {
        int[] counts = new int[size()];
        java.util.Arrays.fill(counts, count);
        return counts;
    }

    private static long sum(int[] counts) {
        long s = 0;
        for (int c : counts) {
            s += c;
        }
        return s;
    }

    private Blocks blocks(int[] counts, DataType type, String op) {
        Objects.requireNonNull(counts, op + " counts");
        if (counts.length != size()) {
            throw new IllegalArgumentException(op + ": " + counts.length + " counts for " + size() + " ranks");
        }
        return Blocks.ofCounts(counts, type.size());
    }

    private static void requireCount(DataBuffer b, long expected, String what) {
        if (b.count() != expected) {
            throw new IllegalArgumentException(what + " holds " + b.count() + " elements, needs " + expected);
        }
    }

    /** Builds the transport: register, dial/accept direct links, agree on relay, open the relay if needed. */
    private static final class JobSetup {
        record Result(Transport transport, int refusedLinks) {
        }

        private JobSetup() {
        }

        static Result establish(CommunicatorOptions o, Rendezvous rendezvous) {
            int rank = o.rank();
            int n = o.worldSize();
            Deadline deadline = Deadline.after(o.joinTimeout());
            try (DirectLinks direct = new DirectLinks(rank, o.jobId(), o.bindHost())) {
                String hostId = LocalEndpoints.hostId();
                Register registration = Register.newBuilder()
                        .addAllEndpoints(LocalEndpoints.forPort(direct.port(), o.advertiseHost()))
                        .setHostId(hostId).setRelayOnly(o.forceRelay()).setNoPunch(!o.punch())
                        .setSealLinks(o.sealLinks()).build();
                rendezvous.bindControlTo(direct.port());
                PeerTable table = rendezvous.join(registration, deadline);
                if (table.getPeersCount() != n) {
                    throw new RendezvousException("peer table from " + rendezvous.describe() + " lists "
                            + table.getPeersCount() + " ranks, expected " + n);
                }
                direct.startAccepting(ChannelPlanner.expectedDialers(rank, table), table.getSessionKey().toByteArray(),
                        o.connectTimeout().toMillis());
                int cores = Runtime.getRuntime().availableProcessors();
                int ranksOnHost = 1 + countSameHost(table, hostId, rank);
                // A second connection pays off when the two directions' kernel work can run on two cores at once;
                // with more ranks than cores it measured level or slower (RESULTS.md "A second connection").
                boolean second = o.secondConnection().opens(ranksOnHost, cores);
                Map<Integer, DirectLinks.Established> dialed = direct.dial(ChannelPlanner.dialTargets(rank, table),
                        table, hostId, o.connectTimeout().toMillis(), deadline, o.maxParallelSetups(),
                        kind -> second && !o.healLinks().covers(kind));
                ChannelPlan plan = rendezvous.agreeOnChannels(dialed.keySet(), deadline);
                Set<Integer> acceptFrom = new TreeSet<>(ChannelPlanner.expectedDialers(rank, table));
                acceptFrom.removeAll(plan.getRelayPeersList());
                Map<Integer, DirectLinks.Established> accepted = direct.awaitAccepted(acceptFrom, deadline);
                Map<Integer, DirectLinks.Established> punched = Map.of();
                if (!plan.getFinal()) {
                    direct.stopAccepting();
                    log.info("job '{}' rank {}/{}: punching to ranks {} for up to {} ms", o.jobId(), rank, n,
                            plan.getPunchPeersList(), o.punchTimeout().toMillis());
                    punched = direct.punch(plan.getPunchPeersList(), table, o.punchTimeout().toMillis(),
                            o.maxParallelSetups());
                    plan = rendezvous.reportPunched(punched.keySet(), deadline);
                }
                Set<Integer> relayPeers = new TreeSet<>(plan.getRelayPeersList());
                Link[] links = Links.assemble(rank, n, o.jobId(), List.of(dialed, accepted, punched), relayPeers,
                        rendezvous, deadline, sealKey(o, table), o.healLinks(), o.linkFault(), o::sendBuffersFor);
                WaitStrategy wait = WaitStrategy.forRanksOnHost(ranksOnHost, cores, o.spinNanos(), o.busyNanos());
                int segment = o.maxSegmentBytes();
                if (table.getMaxFramePayload() > 0) {
                    segment = Math.min(segment, table.getMaxFramePayload());
                }
                log.info("job '{}' rank {}/{}: links {} ({}; {}: {} ranks on this host, {} cores)", o.jobId(), rank,
                        n, Links.summary(links), wait.describe(), o.describeSendBuffer(), ranksOnHost, cores);
                if (direct.refused() > 0) {
                    log.warn("job '{}' rank {}/{}: refused {} connection attempts on its data port during setup "
                            + "(see the warnings above)", o.jobId(), rank, n, direct.refused());
                }
                return new Result(new Transport(rank, n, o.jobId(), links, wait, segment, rendezvous::abort,
                        rendezvous.linkRepair(), o.linkStallTimeout().toNanos()), direct.refused());
            } catch (IOException e) {
                throw new RendezvousException("rank " + rank + " of job '" + o.jobId() + "' could not set up its "
                        + "links: " + e.getMessage(), e);
            }
        }

        /** The session key when direct links are sealed; null when they are not. */
        private static byte[] sealKey(CommunicatorOptions o, PeerTable table) {
            for (int p = 0; p < table.getPeersCount(); p++) {
                if (table.getPeers(p).getSealLinks() != o.sealLinks()) {
                    throw new RendezvousException("rank " + p + " of job '" + o.jobId() + "' "
                            + (o.sealLinks() ? "does not seal" : "seals") + " its direct links but rank " + o.rank()
                            + " " + (o.sealLinks() ? "does" : "does not") + ": give every rank the same sealLinks");
                }
            }
            return o.sealLinks() ? table.getSessionKey().toByteArray() : null;
        }

        private static int countSameHost(PeerTable table, String hostId, int rank) {
            int same = 0;
            for (int p = 0; p < table.getPeersCount(); p++) {
                if (p != rank && table.getPeers(p).getHostId().equals(hostId)) {
                    same++;
                }
            }
            return same;
        }
    }
}
