package io.jfmi.core;

import io.jfmi.core.channel.DirectLinks;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Link;
import io.jfmi.core.channel.LinkKind;
import io.jfmi.core.channel.Links;
import io.jfmi.core.channel.Transport;
import io.jfmi.core.channel.WaitStrategy;
import io.jfmi.core.collective.Allgather;
import io.jfmi.core.collective.Allreduce;
import io.jfmi.core.collective.Barrier;
import io.jfmi.core.collective.Bcast;
import io.jfmi.core.collective.CollectiveContext;
import io.jfmi.core.collective.Gather;
import io.jfmi.core.collective.Reduce;
import io.jfmi.core.rendezvous.ChannelPlanner;
import io.jfmi.core.rendezvous.InProcessRendezvous;
import io.jfmi.core.rendezvous.LocalEndpoints;
import io.jfmi.core.rendezvous.Rendezvous;
import io.jfmi.core.rendezvous.ServerRendezvous;
import io.jfmi.core.util.Deadline;
import io.jfmi.core.util.Scratch;
import io.jfmi.core.wire.OpCode;
import io.jfmi.core.wire.proto.PeerTable;
import io.jfmi.core.wire.proto.Register;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
        return connect(options, new ServerRendezvous(server, options.jobId(), options.rank(), options.worldSize(),
                secret, options.connectTimeout().toMillis()));
    }

    /** Joins the ranks of one JVM that share {@code hub} (direct links only). */
    public static Communicator connect(CommunicatorOptions options, InProcessRendezvous.Hub hub) {
        return connect(options, new InProcessRendezvous(hub, options.rank()));
    }

    /** Joins through any {@link Rendezvous}. The communicator owns it from now on. */
    public static Communicator connect(CommunicatorOptions options, Rendezvous rendezvous) {
        try {
            Transport transport = JobSetup.establish(options, rendezvous);
            Communicator c = new Communicator(options, rendezvous, transport);
            rendezvous.watch(transport::failFromOutside);
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

    /** How this rank reaches {@code peer} (null for itself). */
    public LinkKind linkKind(int peer) {
        return transport.linkKind(peer);
    }

    /** Bytes this rank has written to / read from its links, headers included. */
    public long bytesSent() {
        return transport.bytesSent();
    }

    public long bytesReceived() {
        return transport.bytesReceived();
    }

    // ---- point to point -------------------------------------------------------------------------------

    /** Sends {@code data} to {@code dst} with a user tag (>= 0); returns once the bytes are handed to TCP. */
    public void send(int dst, int tag, DataBuffer data) {
        checkTag(tag);
        ByteBuffer view = data.readView(scratch, Scratch.STAGING_IN);
        Exchange ex = transport.exchange().begin(OpCode.SEND_RECV, tag, deadline(), data.byteSize());
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
        Exchange ex = transport.exchange().begin(OpCode.SEND_RECV, tag, deadline(), data.byteSize());
        ex.recv(src, tag, view, 0, data.byteSize(), true);
        ex.await();
        int bytes = ex.receivedBytes(0);
        data.commit(view);
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
        data.commit(view);
    }

    /** Every rank contributes {@code send}; {@code recv} (size x send.count) gets all blocks in rank order. */
    public void allgather(DataBuffer send, DataBuffer recv) {
        requireSameType(send, recv, "allgather");
        requireCount(recv, (long) send.count() * size(), "allgather receive buffer");
        ByteBuffer in = send.readView(scratch, Scratch.STAGING_IN);
        ByteBuffer out = recv.writeView(scratch, Scratch.STAGING_OUT);
        Allgather.run(ctx, in, out, send.byteSize());
        recv.commit(out);
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
        Gather.run(ctx, in, out, send.byteSize(), root);
        if (out != null) {
            recv.commit(out);
        }
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
            recv.commit(out);
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
        recv.commit(out);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** Leaves the job: tells the server this is an orderly exit, then closes every link. */
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

    private Deadline deadline() {
        return Deadline.afterMillis(operationTimeoutMillis);
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

    private static void requireCount(DataBuffer b, long expected, String what) {
        if (b.count() != expected) {
            throw new IllegalArgumentException(what + " holds " + b.count() + " elements, needs " + expected);
        }
    }

    /** Builds the transport: register, dial/accept direct links, agree on relay, open the relay if needed. */
    private static final class JobSetup {
        private JobSetup() {
        }

        static Transport establish(CommunicatorOptions o, Rendezvous rendezvous) {
            int rank = o.rank();
            int n = o.worldSize();
            Deadline deadline = Deadline.after(o.joinTimeout());
            try (DirectLinks direct = new DirectLinks(rank, o.jobId(), o.bindHost())) {
                String hostId = LocalEndpoints.hostId();
                Register registration = Register.newBuilder()
                        .addAllEndpoints(LocalEndpoints.forPort(direct.port(), o.advertiseHost()))
                        .setHostId(hostId).setRelayOnly(o.forceRelay()).build();
                PeerTable table = rendezvous.join(registration, deadline);
                if (table.getPeersCount() != n) {
                    throw new RendezvousException("peer table from " + rendezvous.describe() + " lists "
                            + table.getPeersCount() + " ranks, expected " + n);
                }
                direct.startAccepting(ChannelPlanner.expectedDialers(rank, table), table.getSessionKey().toByteArray(),
                        o.connectTimeout().toMillis());
                Map<Integer, DirectLinks.Established> dialed = direct.dial(ChannelPlanner.dialTargets(rank, table),
                        table, hostId, o.connectTimeout().toMillis(), deadline);
                Set<Integer> relayPeers = rendezvous.agreeOnRelay(dialed.keySet(), deadline);
                Set<Integer> acceptFrom = new TreeSet<>(ChannelPlanner.expectedDialers(rank, table));
                acceptFrom.removeAll(relayPeers);
                Map<Integer, DirectLinks.Established> accepted = direct.awaitAccepted(acceptFrom, deadline);
                Link[] links = Links.assemble(rank, n, o.jobId(), dialed, accepted, relayPeers, rendezvous, deadline);
                int cores = Runtime.getRuntime().availableProcessors();
                int ranksOnHost = 1 + countSameHost(table, hostId, rank);
                WaitStrategy wait = o.spinNanos() >= 0 ? new WaitStrategy(o.spinNanos())
                        : WaitStrategy.forRanksOnHost(ranksOnHost, cores);
                int segment = o.maxSegmentBytes();
                if (table.getMaxFramePayload() > 0) {
                    segment = Math.min(segment, table.getMaxFramePayload());
                }
                log.info("job '{}' rank {}/{}: links {} (spin {} µs, {} ranks on this host, {} cores)", o.jobId(),
                        rank, n, Links.summary(links), wait.spinNanos() / 1000, ranksOnHost, cores);
                return new Transport(rank, n, o.jobId(), links, wait, segment, rendezvous::abort);
            } catch (IOException e) {
                throw new RendezvousException("rank " + rank + " of job '" + o.jobId() + "' could not set up its "
                        + "links: " + e.getMessage(), e);
            }
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
