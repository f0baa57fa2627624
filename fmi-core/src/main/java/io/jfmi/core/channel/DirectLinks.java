package io.jfmi.core.channel;

import io.jfmi.core.LinkKind;
import io.jfmi.core.util.Deadline;
import io.jfmi.protocol.JobAuth;
import io.jfmi.protocol.proto.Endpoint;
import io.jfmi.protocol.proto.EndpointKind;
import io.jfmi.protocol.proto.PeerInfo;
import io.jfmi.protocol.proto.PeerTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up the direct TCP links of one rank: accepts authenticated connections from higher ranks on a background
 * thread while dialing lower ranks on the caller's thread, trying a peer's candidates in preference order
 * (loopback when on the same host, then LAN addresses), each with its own connect deadline.
 */
public final class DirectLinks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DirectLinks.class);

    /**
     * A connected, authenticated direct link not yet handed to a {@link Transport}; {@code nonce} is the accepting
     * side's handshake nonce, from which the link's sealing keys are derived; {@code second} is the pair's second
     * connection, or null.
     */
    public record Established(SocketChannel channel, LinkKind kind, String address, byte[] nonce, Second second) {
        public Established(SocketChannel channel, LinkKind kind, String address, byte[] nonce) {
            this(channel, kind, address, nonce, null);
        }

        /** Closes the link's connections (a pair that will use the relay instead). */
        public void close() {
            closeQuietly(channel);
            if (second != null) {
                closeQuietly(second.channel());
            }
        }
    }

    /**
     * A pair's second connection, which carries only the dialer's large messages (the dialer writes it, the
     * acceptor reads it); {@code nonce} is its own handshake's, for its sealing keys.
     */
    public record Second(SocketChannel channel, byte[] nonce, boolean dialer) {
    }

    /** The first connection of a pair that will have two, while its second is awaited. */
    private record FirstOfTwo(SocketChannel channel, String address, byte[] nonce) {
    }

    /** One connect attempt while punching; both sides retry until the punch deadline. */
    static final int PUNCH_ATTEMPT_MILLIS = 1000;
    static final int PUNCH_RETRY_PAUSE_MILLIS = 20;

    private final int rank;
    private final String jobId;
    private final ServerSocketChannel listener;
    private final String bindHost;
    private final int port;
    private final Map<Integer, Established> accepted = new ConcurrentHashMap<>();
    private final Map<Integer, FirstOfTwo> firstOfTwo = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile Set<Integer> expectedDialers = Set.of();
    private volatile byte[] sessionKey;
    private Thread acceptor;

    /** Binds the listener now so its port can be registered. */
    public DirectLinks(int rank, String jobId, String bindHost) throws IOException {
        this.rank = rank;
        this.jobId = jobId;
        this.bindHost = bindHost;
        this.listener = ServerSocketChannel.open();
        // The control connection and punched links leave from this same port (see ServerRendezvous).
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        listener.bind(new InetSocketAddress(bindHost, 0), 64);
        this.port = listener.socket().getLocalPort();
    }

    public int port() {
        return port;
    }

    /** Stops accepting: no late dialer is taken, and a punch's incoming SYN meets the punching socket. */
    public void stopAccepting() {
        closeQuietly(listener);
    }

    /**
     * TCP hole punching: for each peer at once (up to {@code parallel} at a time), connect from the data port
     * to the peer's observed public endpoint again and again until the deadline, while the peer does the same
     * towards us: the first pair of SYNs that crosses both NATs opens the connection (simultaneous open). The
     * higher rank then sends the authenticated hello. Returns the peers reached.
     */
    public Map<Integer, Established> punch(Collection<Integer> peers, PeerTable table, long timeoutMillis,
            int parallel) {
        Map<Integer, Established> punched = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        forEachInParallel(peers, parallel, timeoutMillis + 5_000, "punch", peer -> {
            Established e = punchOne(peer, table.getPeers(peer).getObserved(), deadline);
            if (e != null) {
                punched.put(peer, e);
            }
        });
        return punched;
    }

    private Established punchOne(int peer, Endpoint target, long deadlineNanos) {
        InetSocketAddress to = new InetSocketAddress(target.getHost(), target.getPort());
        long start = System.nanoTime();
        int attempts = 0;
        String last = "no attempt before the deadline";
        while (System.nanoTime() < deadlineNanos) {
            attempts++;
            long leftMillis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                ch.bind(new InetSocketAddress(bindHost, port));
                int attemptMillis = (int) Math.min(PUNCH_ATTEMPT_MILLIS, leftMillis);
                ch.socket().connect(to, attemptMillis);
                ch.socket().setSoTimeout((int) Math.max(1000, leftMillis));
                byte[] nonce;
                if (rank > peer) {
                    nonce = sendHello(ch, peer, LinkHello.ONLY);
                } else {
                    nonce = LinkHello.sendChallenge(ch);
                    LinkHello hello = LinkHello.readFrom(ch);
                    if (hello.from != peer || hello.to != rank || hello.role != LinkHello.ONLY
                            || !JobAuth.matches(JobAuth.linkMac(sessionKey, peer, rank, nonce), hello.mac)) {
                        refused.incrementAndGet();
                        throw new IOException("the connection at " + to + " is not rank " + peer + " of this job");
                    }
                    ch.write(ByteBuffer.wrap(new byte[] {LinkHello.ACCEPTED}));
                }
                ch.socket().setSoTimeout(0);
                long probeStart = System.nanoTime();
                String probeFailure = PathProbe.exchange(ch, PathProbe.TIMEOUT_MILLIS);
                if (probeFailure != null) {
                    log.warn("rank {} of job '{}': the punched path to rank {} at {} failed its probe ({}): it drops "
                            + "large packets or cuts flows, so the pair will use the relay", rank, jobId, peer, to,
                            probeFailure);
                    closeQuietly(ch);
                    return null;
                }
                log.info("rank {} of job '{}': punched through to rank {} at {} in {} ms ({} attempts; {} KiB probe "
                        + "crossed both ways in {} ms)", rank, jobId, peer, to, (probeStart - start) / 1_000_000,
                        attempts, PathProbe.BYTES / 1024, (System.nanoTime() - probeStart) / 1_000_000);
                return new Established(ch, LinkKind.PUNCHED, target.getHost() + ":" + target.getPort(), nonce);
            } catch (IOException e) {
                last = e.getMessage();
                if (ch != null) {
                    closeQuietly(ch);
                }
                sleepQuietly(PUNCH_RETRY_PAUSE_MILLIS);
            }
        }
        log.info("rank {} of job '{}': punching to rank {} at {} failed after {} attempts in {} ms (last: {}); "
                + "the pair will use the relay", rank, jobId, peer, to, attempts,
                (System.nanoTime() - start) / 1_000_000, last);
        return null;
    }

    /** Runs {@code task} for every peer on at most {@code parallel} daemon threads and waits for all. */
    private void forEachInParallel(Collection<Integer> peers, int parallel, long waitMillis, String what,
            java.util.function.IntConsumer task) {
        if (peers.isEmpty()) {
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(parallel, peers.size())), r -> {
                    Thread t = new Thread(r, "jfmi-" + what + "-" + jobId + "-" + rank);
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<?>> work = new ArrayList<>();
            for (int peer : peers) {
                work.add(pool.submit(() -> task.accept(peer)));
            }
            for (java.util.concurrent.Future<?> f : work) {
                try {
                    f.get(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.warn("rank {} of job '{}': a {} did not finish cleanly: {}", rank, jobId, what, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts accepting the given higher ranks (authenticated with the job instance's session key). */
    public void startAccepting(Set<Integer> dialers, byte[] key, long handshakeTimeoutMillis) {
        this.expectedDialers = Set.copyOf(dialers);
        this.sessionKey = key.clone();
        if (dialers.isEmpty()) {
            return;
        }
        acceptor = new Thread(() -> acceptLoop(handshakeTimeoutMillis), "jfmi-accept-" + jobId + "-" + rank);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop(long handshakeTimeoutMillis) {
        while (accepted.size() < expectedDialers.size()) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("rank {} of job '{}': accept failed: {}", rank, jobId, e.getMessage());
                return;
            }
            String remote = "an unknown address";
            try {
                remote = String.valueOf(ch.getRemoteAddress());
                ch.socket().setSoTimeout((int) handshakeTimeoutMillis);
                byte[] nonce = LinkHello.sendChallenge(ch);
                LinkHello hello = LinkHello.readFrom(ch);
                String refusal = null;
                if (hello.to != rank || !expectedDialers.contains(hello.from)
                        || !JobAuth.matches(JobAuth.linkMac(sessionKey, hello.from, rank, nonce), hello.mac)) {
                    refusal = "not an expected, authenticated peer of this job";
                } else if (accepted.containsKey(hello.from)) {
                    refusal = "rank " + hello.from + " already has its link; a second one is refused";
                } else if (hello.role == LinkHello.SECOND_OF_TWO ? !firstOfTwo.containsKey(hello.from)
                        : firstOfTwo.containsKey(hello.from)) {
                    refusal = hello.role == LinkHello.SECOND_OF_TWO ? "the second connection of a pair came first"
                            : "rank " + hello.from + " is opening its link's second connection, not another link";
                }
                if (refusal != null) {
                    refused.incrementAndGet();
                    log.warn("rank {} of job '{}': refused a direct link from {} claiming rank {} -> {}: {}", rank,
                            jobId, remote, hello.from, hello.to, refusal);
                    ch.close();
                    continue;
                }
                ch.write(ByteBuffer.wrap(new byte[] {LinkHello.ACCEPTED}));
                ch.socket().setSoTimeout(0);
                LinkKind kind = ch.socket().getInetAddress().isLoopbackAddress() ? LinkKind.LOCAL : LinkKind.LAN;
                if (hello.role == LinkHello.FIRST_OF_TWO) {
                    firstOfTwo.put(hello.from, new FirstOfTwo(ch, remote, nonce));
                } else if (hello.role == LinkHello.SECOND_OF_TWO) {
                    FirstOfTwo first = firstOfTwo.remove(hello.from);
                    accepted.put(hello.from, new Established(first.channel(), kind, first.address(), first.nonce(),
                            new Second(ch, nonce, false)));
                } else {
                    accepted.put(hello.from, new Established(ch, kind, remote, nonce));
                }
            } catch (IOException e) {
                refused.incrementAndGet();
                log.warn("rank {} of job '{}': refused a direct link from {}: its handshake failed: {}", rank, jobId,
                        remote, e.getMessage());
                closeQuietly(ch);
            }
        }
    }

    /**
     * Dials the targets, up to {@code parallel} at once (an unreachable address costs a whole connect timeout,
     * and hosts rate-limit the ICMP errors that would cut it short, so dialing one after another adds up);
     * each target's candidates are tried in order. Returns the links that succeeded; a target whose candidates
     * all fail is left out (the pair will punch or use the relay) and the reason is logged. Every link uses one
     * connection both ways.
     */
    public Map<Integer, Established> dial(Collection<Integer> targets, PeerTable table, String myHostId,
            long connectTimeoutMillis, Deadline deadline, int parallel) {
        return dial(targets, table, myHostId, connectTimeoutMillis, deadline, parallel, kind -> false);
    }

    /**
     * As above; a link whose kind {@code secondConnection} accepts opens a second connection for this rank's large
     * messages (the acceptor learns it from the hellos). Punched links never do: a second punch through the same
     * NAT mapping cannot exist (same address and port pair).
     */
    public Map<Integer, Established> dial(Collection<Integer> targets, PeerTable table, String myHostId,
            long connectTimeoutMillis, Deadline deadline, int parallel, Predicate<LinkKind> secondConnection) {
        Map<Integer, Established> dialed = new ConcurrentHashMap<>();
        forEachInParallel(targets, parallel, Math.max(1, deadline.remainingMillis()), "dial",
                peer -> dialPeer(peer, table.getPeers(peer), myHostId, connectTimeoutMillis, deadline, dialed,
                        secondConnection));
        return dialed;
    }

    private void dialPeer(int peer, PeerInfo info, String myHostId, long connectTimeoutMillis, Deadline deadline,
            Map<Integer, Established> dialed, Predicate<LinkKind> secondConnection) {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : candidates(info, myHostId)) {
            if (deadline.expired()) {
                failures.add("setup deadline passed");
                break;
            }
            try {
                dialed.put(peer, dialOne(peer, e, Math.min(connectTimeoutMillis, deadline.remainingMillis()),
                        secondConnection));
                return;
            } catch (IOException ex) {
                failures.add(e.getHost() + ":" + e.getPort() + " (" + ex.getMessage() + ")");
            }
        }
        log.info("rank {} of job '{}': no direct link to rank {}: {}; the pair will punch or use the relay", rank,
                jobId, peer, failures.isEmpty() ? "no candidate endpoints" : String.join(", ", failures));
    }

    private Established dialOne(int peer, Endpoint e, long timeoutMillis, Predicate<LinkKind> secondConnection)
            throws IOException {
        LinkKind kind = e.getKind() == EndpointKind.LOOPBACK ? LinkKind.LOCAL : LinkKind.LAN;
        InetSocketAddress to = new InetSocketAddress(e.getHost(), e.getPort());
        String address = e.getHost() + ":" + e.getPort();
        if (!secondConnection.test(kind)) {
            SocketChannel ch = connect(to, timeoutMillis);
            return new Established(ch, kind, address, handshake(ch, peer, LinkHello.ONLY, timeoutMillis));
        }
        SocketChannel first = connect(to, timeoutMillis);
        SocketChannel second = null;
        try {
            byte[] nonce = handshake(first, peer, LinkHello.FIRST_OF_TWO, timeoutMillis);
            second = connect(to, timeoutMillis);
            byte[] secondNonce = handshake(second, peer, LinkHello.SECOND_OF_TWO, timeoutMillis);
            return new Established(first, kind, address, nonce, new Second(second, secondNonce, true));
        } catch (IOException ex) {
            closeQuietly(first);
            if (second != null) {
                closeQuietly(second);
            }
            throw ex;
        }
    }

    private static SocketChannel connect(InetSocketAddress to, long timeoutMillis) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(to, (int) Math.max(1, timeoutMillis));
            return ch;
        } catch (IOException ex) {
            closeQuietly(ch);
            throw ex;
        }
    }

    /** The dialing side's handshake on a fresh connection, under a read timeout; closes it on failure. */
    private byte[] handshake(SocketChannel ch, int peer, int role, long timeoutMillis) throws IOException {
        try {
            ch.socket().setSoTimeout((int) Math.max(1, timeoutMillis));
            byte[] nonce = sendHello(ch, peer, role);
            ch.socket().setSoTimeout(0);
            return nonce;
        } catch (IOException ex) {
            closeQuietly(ch);
            throw ex;
        }
    }

    /**
     * The dialing side of the handshake: answer the peer's challenge with our MAC, wait for its acceptance.
     * Returns the challenge's nonce.
     */
    private byte[] sendHello(SocketChannel ch, int peer, int role) throws IOException {
        byte[] nonce = LinkHello.readChallenge(ch);
        new LinkHello(rank, peer, role, JobAuth.linkMac(sessionKey, rank, peer, nonce)).writeTo(ch);
        ByteBuffer reply = ByteBuffer.allocate(1);
        LinkHello.readFully(ch, reply);
        if (reply.get(0) != LinkHello.ACCEPTED) {
            throw new IOException("peer refused the link");
        }
        return nonce;
    }

    /** Connections refused so far: wrong or replayed MAC, another job, unexpected rank, garbage, no handshake. */
    public int refused() {
        return refused.get();
    }

    /** Loopback only when both ranks share a host id; LAN endpoints after. */
    static List<Endpoint> candidates(PeerInfo peer, String myHostId) {
        boolean sameHost = peer.getHostId().equals(myHostId);
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : peer.getEndpointsList()) {
            if (e.getKind() == EndpointKind.LOOPBACK && sameHost) {
                out.add(e);
            }
        }
        for (Endpoint e : peer.getEndpointsList()) {
            if (e.getKind() == EndpointKind.LAN) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Waits until every dialer in {@code peers} has connected (they reported success, so the connection exists
     * or is just being registered), up to the deadline.
     */
    public Map<Integer, Established> awaitAccepted(Set<Integer> peers, Deadline deadline) throws IOException {
        while (!accepted.keySet().containsAll(peers)) {
            if (deadline.expired()) {
                Set<Integer> missing = new java.util.TreeSet<>(peers);
                missing.removeAll(accepted.keySet());
                throw new IOException("ranks " + missing + " reported a direct link to rank " + rank
                        + " that never arrived within " + deadline.budgetMillis() + " ms");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for direct links");
            }
        }
        for (Map.Entry<Integer, Established> e : accepted.entrySet()) {
            if (!peers.contains(e.getKey())) {
                e.getValue().close();
            }
        }
        Map<Integer, Established> out = new ConcurrentHashMap<>(accepted);
        out.keySet().retainAll(peers);
        return out;
    }

    @Override
    public void close() {
        closeQuietly(listener);
        if (acceptor != null) {
            try {
                acceptor.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // A pair whose second connection never came (its dialer failed between the two) holds the first.
        firstOfTwo.values().forEach(f -> closeQuietly(f.channel()));
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort during setup failure
        }
    }
}
