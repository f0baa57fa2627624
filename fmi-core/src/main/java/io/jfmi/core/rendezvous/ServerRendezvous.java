package io.jfmi.core.rendezvous;

import io.jfmi.core.FmiException;
import io.jfmi.core.PeerFailureException;
import io.jfmi.core.RendezvousException;
import io.jfmi.core.util.Backoff;
import io.jfmi.core.util.Deadline;
import io.jfmi.core.wire.BlockingStreams;
import io.jfmi.core.wire.Connection;
import io.jfmi.core.wire.LinkIo;
import io.jfmi.core.wire.PlainIo;
import io.jfmi.core.wire.TlsClient;
import io.jfmi.core.wire.TlsIo;
import io.jfmi.protocol.ControlCodec;
import io.jfmi.protocol.JobAuth;
import io.jfmi.protocol.proto.Abort;
import io.jfmi.protocol.proto.ChannelPlan;
import io.jfmi.protocol.proto.ClientHello;
import io.jfmi.protocol.proto.ConnectReport;
import io.jfmi.protocol.proto.ControlMessage;
import io.jfmi.protocol.proto.Goodbye;
import io.jfmi.protocol.proto.JoinStatus;
import io.jfmi.protocol.proto.JoinStatusRequest;
import io.jfmi.protocol.proto.LinkDown;
import io.jfmi.protocol.proto.LinkStuck;
import io.jfmi.protocol.proto.PeerTable;
import io.jfmi.protocol.proto.Purpose;
import io.jfmi.protocol.proto.RankLeftBeforeForming;
import io.jfmi.protocol.proto.Register;
import io.jfmi.protocol.proto.RelayAttach;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rendezvous through the jfmi rendezvous server over one control connection (protobuf, length-prefixed). After
 * setup a daemon thread listens on that connection for failure notices; the data path never waits on it.
 */
public final class ServerRendezvous implements Rendezvous, LinkRepair {
    private static final Logger log = LoggerFactory.getLogger(ServerRendezvous.class);

    /** How long before its join deadline a waiting rank asks the server which ranks are missing. */
    private static final long STATUS_WINDOW_MILLIS = 500;

    private final InetSocketAddress server;
    private final String jobId;
    private final int rank;
    private final int worldSize;
    private final byte[] secret;
    private final long connectTimeoutMillis;
    /** TLS to the server, or null for plain TCP. */
    private final TlsClient tls;
    private Socket control;
    private InputStream in;
    private OutputStream out;
    private volatile boolean leaving;
    private int controlPort;
    private Thread watcher;
    /** Where the server's link notices go; until the transport exists they wait in {@link #earlyNotices}. */
    private Consumer<LinkNotice> linkNotices;
    /** Notices that came before {@link #watchLinks}: a peer may give a link up while this rank still sets up. */
    private final List<LinkNotice> earlyNotices = new ArrayList<>();

    /** @param tls TLS for the control and relay connections, or null for plain TCP */
    public ServerRendezvous(InetSocketAddress server, String jobId, int rank, int worldSize, byte[] secret,
            long connectTimeoutMillis, TlsClient tls) {
        this.server = server;
        this.jobId = jobId;
        this.rank = rank;
        this.worldSize = worldSize;
        this.secret = secret.clone();
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.tls = tls;
    }

    @Override
    public String describe() {
        return "rendezvous server " + server.getHostString() + ":" + server.getPort() + (tls == null ? "" : " (TLS)");
    }

    @Override
    public PeerTable join(Register registration, Deadline deadline) {
        try {
            control = connect(deadline);
            if (tls != null) {
                control.setSoTimeout((int) Math.max(1, deadline.remainingMillis()));
                control = tls.wrap(control, server.getHostString(), server.getPort());
            }
            in = control.getInputStream();
            out = control.getOutputStream();
            byte[] nonce = handshake(Purpose.CONTROL, deadline);
            Register signed = registration.toBuilder()
                    .setMac(com.google.protobuf.ByteString.copyFrom(
                            JobAuth.registrationMac(secret, nonce, Purpose.CONTROL.name(), jobId, rank, worldSize)))
                    .build();
            send(ControlMessage.newBuilder().setRegister(signed).build());
            String lost = "";
            String what = "the peer table (waiting for all " + worldSize + " ranks of job '" + jobId
                    + "' to register";
            // Keep a moment before the deadline to ask the server who is missing, so the error can name them.
            long statusWindow = Math.min(STATUS_WINDOW_MILLIS, Math.max(1, deadline.budgetMillis() / 10));
            while (true) {
                ControlMessage reply;
                try {
                    reply = receiveWithin(deadline.remainingMillis() - statusWindow);
                } catch (EOFException e) {
                    throw closedWhileWaiting(what + ")", e);
                } catch (SocketTimeoutException e) {
                    reply = askWhoIsMissing(statusWindow);
                    if (reply.hasJoinStatus()) {
                        throw new IOException("timed out after " + deadline.budgetMillis() + " ms waiting for "
                                + what + lost + "): " + missing(reply.getJoinStatus()));
                    }
                }
                if (reply.hasRankLeftBeforeForming()) {
                    // Keep waiting (the rank may retry), but say who it was if the wait runs out.
                    RankLeftBeforeForming left = reply.getRankLeftBeforeForming();
                    lost = "; rank " + left.getRank() + " registered and was lost: " + left.getReason();
                    log.warn("job '{}' rank {}: rank {} was lost before the job formed ({}); waiting for it to "
                            + "register again until the join deadline", jobId, rank, left.getRank(), left.getReason());
                    continue;
                }
                if (!reply.hasPeerTable()) {
                    throw unexpected(reply, "peer table");
                }
                return reply.getPeerTable();
            }
        } catch (IOException e) {
            throw new RendezvousException("rank " + rank + " of job '" + jobId + "' could not join through "
                    + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ChannelPlan agreeOnChannels(Set<Integer> dialedPeers, Deadline deadline) {
        return report(dialedPeers, false, deadline);
    }

    @Override
    public ChannelPlan reportPunched(Set<Integer> punchedPeers, Deadline deadline) {
        return report(punchedPeers, true, deadline);
    }

    private ChannelPlan report(Set<Integer> peers, boolean punched, Deadline deadline) {
        try {
            send(ControlMessage.newBuilder().setConnectReport(ConnectReport.newBuilder().addAllDirectPeers(peers)
                    .setPunched(punched)).build());
            ControlMessage reply = receive(deadline, "the channel plan (waiting for every rank's "
                    + (punched ? "punch" : "connect") + " report)");
            if (!reply.hasChannelPlan()) {
                throw unexpected(reply, "channel plan");
            }
            return reply.getChannelPlan();
        } catch (IOException e) {
            throw new RendezvousException("rank " + rank + " of job '" + jobId + "' lost " + describe()
                    + " while agreeing on channels: " + e.getMessage(), e);
        }
    }

    @Override
    public void bindControlTo(int localPort) {
        this.controlPort = localPort;
    }

    @Override
    public Connection openRelay(Deadline deadline) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.socket().setTcpNoDelay(true);
            channel.socket().connect(server, (int) Math.min(deadline.remainingMillis(), connectTimeoutMillis));
            LinkIo io = tls == null ? new PlainIo(channel)
                    : TlsIo.handshake(channel, tls.engine(server.getHostString(), server.getPort()), deadline,
                            describe());
            try (BlockingStreams streams = new BlockingStreams(channel, io, deadline, describe())) {
                InputStream rin = streams.input();
                OutputStream rout = streams.output();
                ControlCodec.write(rout, hello(Purpose.RELAY));
                ControlMessage challenge = ControlCodec.read(rin, describe());
                if (!challenge.hasChallenge()) {
                    throw unexpected(challenge, "challenge");
                }
                byte[] mac = JobAuth.registrationMac(secret, challenge.getChallenge().getNonce().toByteArray(),
                        Purpose.RELAY.name(), jobId, rank, worldSize);
                ControlCodec.write(rout, ControlMessage.newBuilder()
                        .setRelayAttach(RelayAttach.newBuilder().setMac(com.google.protobuf.ByteString.copyFrom(mac)))
                        .build());
                ControlMessage ready = ControlCodec.read(rin, describe());
                if (ready.hasError()) {
                    throw new RendezvousException(describe() + " refused the relay of rank " + rank + " of job '"
                            + jobId + "': " + ready.getError().getCode() + ": " + ready.getError().getMessage());
                }
                if (!ready.hasRelayReady()) {
                    throw unexpected(ready, "relay ready");
                }
            }
            return new Connection(channel, io);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RendezvousException("rank " + rank + " of job '" + jobId + "' could not open the relay at "
                    + describe() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void watch(Consumer<FmiException> onFailure) {
        watcher = new Thread(() -> watchLoop(onFailure), "jfmi-control-" + jobId + "-" + rank);
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watchLoop(Consumer<FmiException> onFailure) {
        try {
            control.setSoTimeout(0);
            while (true) {
                ControlMessage m = ControlCodec.read(in, describe());
                PeerFailureException peerFailure = peerFailure(m);
                if (peerFailure != null) {
                    onFailure.accept(peerFailure);
                } else if (deliveredAsLinkNotice(m)) {
                    continue;
                } else if (m.hasError()) {
                    onFailure.accept(new FmiException(describe() + " reported an error to rank " + rank
                            + " of job '" + jobId + "': " + m.getError().getCode() + ": "
                            + m.getError().getMessage()));
                } else {
                    log.warn("rank {} of job '{}': ignoring unexpected control message {}", rank, jobId,
                            m.getBodyCase());
                }
            }
        } catch (IOException e) {
            if (!leaving) {
                // The data links may still work; relayed pairs will fail on their own when the relay goes.
                log.warn("rank {} of job '{}' lost its control connection to {}: {}", rank, jobId, describe(),
                        e.getMessage());
            }
        }
    }

    @Override
    public LinkRepair linkRepair() {
        return this;
    }

    @Override
    public void watchLinks(Consumer<LinkNotice> onNotice) {
        synchronized (earlyNotices) {
            linkNotices = onNotice;
            earlyNotices.forEach(onNotice);
            earlyNotices.clear();
        }
    }

    /** Hands a link notice to the transport (or holds it until there is one); false for any other message. */
    private boolean deliveredAsLinkNotice(ControlMessage m) {
        LinkNotice notice;
        if (m.hasLinkStuck()) {
            LinkStuck s = m.getLinkStuck();
            notice = new LinkNotice.Stuck(s.getPeer(), s.getReceived(), s.getWantsRead(), s.getWindowMs(),
                    System.nanoTime());
        } else if (m.hasLinkDown()) {
            LinkDown d = m.getLinkDown();
            notice = new LinkNotice.Down(d.getPeer(), d.getResumeFrom(), d.getReason());
        } else {
            return false;
        }
        synchronized (earlyNotices) {
            if (linkNotices == null) {
                earlyNotices.add(notice);
            } else {
                linkNotices.accept(notice);
            }
        }
        return true;
    }

    @Override
    public void reportStuck(int peer, long sent, long received, boolean wantsRead, boolean wantsWrite,
            long windowMillis) throws IOException {
        send(ControlMessage.newBuilder().setLinkStuck(LinkStuck.newBuilder().setPeer(peer).setSent(sent)
                .setReceived(received).setWantsRead(wantsRead).setWantsWrite(wantsWrite)
                .setWindowMs((int) Math.min(Integer.MAX_VALUE, windowMillis))).build());
    }

    @Override
    public void reportDown(int peer, long resumeFrom, String cause, String reason) throws IOException {
        send(ControlMessage.newBuilder().setLinkDown(LinkDown.newBuilder().setPeer(peer).setResumeFrom(resumeFrom)
                .setCause(cause).setReason(reason)).build());
    }

    @Override
    public void abort(String reason) {
        try {
            send(ControlMessage.newBuilder()
                    .setAbort(Abort.newBuilder().setRank(rank).setReason(reason == null ? "" : reason)).build());
        } catch (IOException | RuntimeException e) {
            log.debug("rank {}: could not report abort to {}: {}", rank, describe(), e.getMessage());
        }
    }

    @Override
    public void leave() {
        leaving = true;
        try {
            send(ControlMessage.newBuilder().setGoodbye(Goodbye.getDefaultInstance()).build());
        } catch (IOException | RuntimeException e) {
            log.debug("rank {}: goodbye to {} not delivered: {}", rank, describe(), e.getMessage());
        }
    }

    @Override
    public void close() {
        leaving = true;
        if (control != null) {
            try {
                control.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private Socket connect(Deadline deadline) throws IOException {
        IOException last = null;
        // The server may still be starting (launched together with the ranks) or restarting: retry until the
        // deadline, backing off so that many ranks do not hammer it together.
        Backoff backoff = new Backoff(50, 2000);
        while (!deadline.expired()) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                if (controlPort > 0) {
                    // Leave from the data port: a NAT maps it to the public endpoint peers will punch to.
                    s.setReuseAddress(true);
                    s.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
                    s.bind(new InetSocketAddress(controlPort));
                }
                s.connect(server, (int) Math.min(deadline.remainingMillis(), connectTimeoutMillis));
                return s;
            } catch (IOException e) {
                if (last == null) {
                    log.info("rank {} of job '{}': {} not reachable yet ({}); retrying until the join deadline",
                            rank, jobId, describe(), e.getMessage());
                }
                last = e;
                s.close();
                sleepQuietly(backoff.nextMillis(deadline.remainingMillis()));
            }
        }
        throw new IOException("could not connect within " + deadline.budgetMillis() + " ms ("
                + (backoff.attempts() + 1) + " attempts" + (last == null ? "" : ", last error: " + last.getMessage())
                + "): is the rendezvous server running at that address?");
    }

    private byte[] handshake(Purpose purpose, Deadline deadline) throws IOException {
        send(hello(purpose));
        ControlMessage reply = receive(deadline, "the server's challenge");
        if (!reply.hasChallenge()) {
            throw unexpected(reply, "challenge");
        }
        return reply.getChallenge().getNonce().toByteArray();
    }

    private ControlMessage hello(Purpose purpose) {
        return ControlMessage.newBuilder().setHello(ClientHello.newBuilder()
                .setProtocolVersion(ControlCodec.PROTOCOL_VERSION).setJobId(jobId).setRank(rank)
                .setWorldSize(worldSize).setPurpose(purpose)).build();
    }

    private synchronized void send(ControlMessage m) throws IOException {
        if (out == null) {
            throw new IOException("not connected");
        }
        ControlCodec.write(out, m);
    }

    private ControlMessage receive(Deadline deadline, String what) throws IOException {
        if (deadline.expired()) {
            throw new IOException("timed out after " + deadline.budgetMillis() + " ms waiting for " + what);
        }
        try {
            return receiveWithin(deadline.remainingMillis());
        } catch (SocketTimeoutException e) {
            throw new IOException("timed out after " + deadline.budgetMillis() + " ms waiting for " + what, e);
        } catch (EOFException e) {
            throw closedWhileWaiting(what, e);
        }
    }

    private IOException closedWhileWaiting(String what, EOFException e) {
        return new IOException("the server closed the connection while rank " + rank + " waited for " + what
                + (tls == null ? " (a server that uses TLS closes connections that do not: join with TLS)" : ""), e);
    }

    /** The server's answer to "who has not registered?", or the peer table if it comes first; within the window. */
    private ControlMessage askWhoIsMissing(long windowMillis) throws IOException {
        send(ControlMessage.newBuilder().setJoinStatusRequest(JoinStatusRequest.getDefaultInstance()).build());
        long until = System.nanoTime() + windowMillis * 1_000_000L;
        while (true) {
            long left = (until - System.nanoTime()) / 1_000_000L;
            ControlMessage m;
            try {
                m = receiveWithin(Math.max(1, left));
            } catch (SocketTimeoutException e) {
                throw new IOException("timed out waiting for the peer table, and " + describe()
                        + " did not say within " + windowMillis + " ms which ranks are missing", e);
            }
            if (m.hasJoinStatus() || m.hasPeerTable()) {
                return m;
            }
        }
    }

    private static String missing(JoinStatus status) {
        List<Integer> ranks = status.getMissingRanksList();
        if (status.getMissingCount() == 1) {
            return "rank " + ranks.get(0) + " never registered";
        }
        String shown = ranks.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return status.getMissingCount() + " ranks never registered: " + shown
                + (ranks.size() < status.getMissingCount() ? ", ..." : "");
    }

    /**
     * The next message within {@code timeoutMillis}; peer failures and server errors become exceptions.
     *
     * @throws SocketTimeoutException when nothing arrived in time
     */
    private ControlMessage receiveWithin(long timeoutMillis) throws IOException {
        if (timeoutMillis <= 0) {
            throw new SocketTimeoutException("no time left");
        }
        long until = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            ControlMessage m;
            do {
                long left = (until - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("no time left");
                }
                control.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                m = ControlCodec.read(in, describe());
            } while (deliveredAsLinkNotice(m)); // a peer that set up first may already heal a link to this rank
            PeerFailureException peerFailure = peerFailure(m);
            if (peerFailure != null) {
                throw peerFailure; // a rank died or gave up while this one was still setting up
            }
            if (m.hasError()) {
                throw new RendezvousException(describe() + " refused rank " + rank + " of job '" + jobId + "': "
                        + m.getError().getCode() + ": " + m.getError().getMessage());
            }
            return m;
        } catch (EOFException e) {
            throw new EOFException("the server closed the connection");
        }
    }

    /** The failure a peer-failed or abort notice reports, or null for any other message. */
    private PeerFailureException peerFailure(ControlMessage m) {
        if (m.hasPeerFailed()) {
            int failed = m.getPeerFailed().getRank();
            return new PeerFailureException("rank " + failed + " of job '" + jobId + "' failed ("
                    + m.getPeerFailed().getReason() + "), reported by " + describe() + " to rank " + rank, failed);
        }
        if (m.hasAbort()) {
            Abort a = m.getAbort();
            return new PeerFailureException("job '" + jobId + "' aborted by rank " + a.getRank() + ": "
                    + a.getReason(), a.getRank());
        }
        return null;
    }

    private RendezvousException unexpected(ControlMessage m, String expected) {
        return new RendezvousException(describe() + " sent " + m.getBodyCase() + " where rank " + rank + " of job '"
                + jobId + "' expected " + expected);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
