package io.jfmi.core;

import io.jfmi.protocol.Limits;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a rank needs to join a job, each with a default, validated by {@link Builder#build()}.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>jobId, rank, worldSize</td><td>required</td><td>which job, which rank of how many</td></tr>
 *   <tr><td>secret</td><td>required with a server</td><td>job secret known to the rendezvous server</td></tr>
 *   <tr><td>rendezvous</td><td>127.0.0.1:7700</td><td>server address</td></tr>
 *   <tr><td>operationTimeout</td><td>30 s</td><td>deadline of every send, recv and collective call</td></tr>
 *   <tr><td>joinTimeout</td><td>120 s</td><td>deadline for all ranks to register and connect</td></tr>
 *   <tr><td>connectTimeout</td><td>2 s</td><td>deadline of one TCP connect attempt</td></tr>
 *   <tr><td>forceRelay</td><td>false</td><td>send every pair through the server's relay</td></tr>
 *   <tr><td>punch</td><td>true</td><td>try TCP hole punching for pairs without a direct link</td></tr>
 *   <tr><td>punchTimeout</td><td>5 s</td><td>how long both sides of a pair keep punching before the relay</td></tr>
 *   <tr><td>maxParallelSetups</td><td>8</td><td>peers dialed or punched at once</td></tr>
 *   <tr><td>bindHost</td><td>0.0.0.0</td><td>address the data listener binds</td></tr>
 *   <tr><td>advertiseHost</td><td>interfaces</td><td>the only address peers should dial</td></tr>
 *   <tr><td>spinNanos</td><td>1 ms (250 µs when ranks outnumber cores)</td><td>poll budget before parking; after
 *       10 µs of busy polling (at once when ranks on the host outnumber cores) every poll also yields the
 *       core</td></tr>
 *   <tr><td>busyNanos</td><td>10 µs (0 when ranks outnumber cores)</td><td>the busy part of that spin, before the
 *       polls start yielding</td></tr>
 *   <tr><td>maxSegmentBytes</td><td>1 MiB</td><td>largest frame payload; larger messages are split</td></tr>
 *   <tr><td>sendBufferBytes</td><td>automatic: on local (loopback) links 512 KiB while writing messages of 64 KiB
 *       and more, 4 MiB while writing smaller ones; the OS's on others</td><td>the send buffer (SO_SNDBUF) of
 *       direct links' sockets; a size set here holds for every message, 0 leaves it to the OS's autotuning (see
 *       {@link #sendBuffersFor})</td></tr>
 *   <tr><td>sealLinks</td><td>false</td><td>encrypt and authenticate direct-link frames (AES-128-GCM, a key per
 *       link and direction derived from the job's session key); every rank of a job must agree</td></tr>
 *   <tr><td>healLinks</td><td>PUNCHED</td><td>which direct links keep what they sent until acknowledged, so a
 *       link that breaks or stalls mid-job moves to the relay without losing a message; every rank must agree</td></tr>
 *   <tr><td>secondConnection</td><td>AUTO</td><td>while ranks on the host do not outnumber its cores (ON:
 *       always), dialed links (loopback, LAN) that do not heal open a second connection for the dialer's messages
 *       of 64 KiB and more: two large messages crossing on one socket move at about half the speed
 *       (benchmarks/RESULTS.md); punched and relayed links always use one</td></tr>
 *   <tr><td>linkStallTimeout</td><td>1 s</td><td>how long both ends of a healing link may wait on it with bytes
 *       owed and none moving before the server declares it stalled</td></tr>
 *   <tr><td>tls</td><td>false</td><td>speak TLS to the rendezvous server (control and relay connections)</td></tr>
 *   <tr><td>tlsTrust</td><td>JVM trust store</td><td>PEM file of the certificates that may sign the server's
 *       certificate (setting it turns tls on); the certificate must name the host dialed</td></tr>
 * </table>
 */
public final class CommunicatorOptions {
    public static final int DEFAULT_PORT = 7700;
    /** The automatic send buffer of local (loopback) links while they write large messages. */
    public static final int LOOPBACK_LARGE_MESSAGE_SEND_BUFFER_BYTES = 512 * 1024;
    /** The automatic send buffer of local (loopback) links while they write small messages. */
    public static final int LOOPBACK_SMALL_MESSAGE_SEND_BUFFER_BYTES = 4 << 20;
    public static final int MAX_SEND_BUFFER_BYTES = 64 << 20;
    public static final int MAX_WORLD_SIZE = Limits.MAX_WORLD_SIZE;

    private final String jobId;
    private final int rank;
    private final int worldSize;
    private final byte[] secret;
    private final InetSocketAddress rendezvous;
    private final Duration operationTimeout;
    private final Duration joinTimeout;
    private final Duration connectTimeout;
    private final boolean forceRelay;
    private final int maxParallelSetups;
    private final Duration punchTimeout;
    private final boolean punch;
    private final String bindHost;
    private final String advertiseHost;
    private final long spinNanos;
    private final long busyNanos;
    private final int maxSegmentBytes;
    private final int sendBufferBytes;
    private final Tuning tuning;
    private final boolean sealLinks;
    private final boolean tls;
    private final HealLinks healLinks;
    private final SecondConnectionMode secondConnection;
    private final Duration linkStallTimeout;
    private final LinkFault linkFault;
    private final Path tlsTrust;

    private CommunicatorOptions(Builder b) {
        this.jobId = b.jobId;
        this.rank = b.rank;
        this.worldSize = b.worldSize;
        this.secret = b.secret == null ? null : b.secret.clone();
        this.rendezvous = b.rendezvous;
        this.operationTimeout = b.operationTimeout;
        this.joinTimeout = b.joinTimeout;
        this.connectTimeout = b.connectTimeout;
        this.forceRelay = b.forceRelay;
        this.maxParallelSetups = b.maxParallelSetups;
        this.punchTimeout = b.punchTimeout;
        this.punch = b.punch;
        this.bindHost = b.bindHost;
        this.advertiseHost = b.advertiseHost;
        this.spinNanos = b.spinNanos;
        this.busyNanos = b.busyNanos;
        this.maxSegmentBytes = b.maxSegmentBytes;
        this.sendBufferBytes = b.sendBufferBytes;
        this.tuning = b.tuning;
        this.sealLinks = b.sealLinks;
        this.healLinks = b.healLinks;
        this.secondConnection = b.secondConnection;
        this.linkStallTimeout = b.linkStallTimeout;
        this.linkFault = b.linkFault;
        this.tls = b.tls;
        this.tlsTrust = b.tlsTrust;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String jobId() {
        return jobId;
    }

    public int rank() {
        return rank;
    }

    public int worldSize() {
        return worldSize;
    }

    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    public InetSocketAddress rendezvous() {
        return rendezvous;
    }

    public Duration operationTimeout() {
        return operationTimeout;
    }

    public Duration joinTimeout() {
        return joinTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public boolean forceRelay() {
        return forceRelay;
    }

    public int maxParallelSetups() {
        return maxParallelSetups;
    }

    public Duration punchTimeout() {
        return punchTimeout;
    }

    public boolean punch() {
        return punch;
    }

    public String bindHost() {
        return bindHost;
    }

    public String advertiseHost() {
        return advertiseHost;
    }

    /** Spin budget in ns, or -1 for automatic. */
    public long spinNanos() {
        return spinNanos;
    }

    /** Busy part of the spin in ns, or -1 for automatic. */
    public long busyNanos() {
        return busyNanos;
    }

    public int maxSegmentBytes() {
        return maxSegmentBytes;
    }

    /** SO_SNDBUF of direct links in bytes; 0 for the OS's autotuning; -1 for automatic. */
    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /**
     * The send buffers a rank sets on a direct link of {@code kind} (0: none, the OS's autotuning): the configured
     * size for every message, or when automatic, on local links, {@link #LOOPBACK_LARGE_MESSAGE_SEND_BUFFER_BYTES}
     * while the link writes messages of {@link SendBufferSizes#LARGE_MESSAGE_BYTES} and more and
     * {@link #LOOPBACK_SMALL_MESSAGE_SEND_BUFFER_BYTES} while it writes smaller ones. Both copies of a loopback
     * byte run on this host: less in flight keeps a large message's bytes closer to the caches, while a deep buffer
     * lets a rank queue many small messages without waiting for their reader, as an MPI eager send does (measured
     * with 2, 4 and 8 ranks in benchmarks/RESULTS.md). Across hosts the bandwidth-delay product may need more, so
     * the OS decides. The kernel grants at most {@code net.core.wmem_max} (Linux's default is 208 KiB);
     * {@link Communicator#linkSendBufferBytes} reports what a link has.
     */
    public SendBufferSizes sendBuffersFor(LinkKind kind) {
        if (sendBufferBytes >= 0) {
            return SendBufferSizes.fixed(sendBufferBytes);
        }
        if (kind != LinkKind.LOCAL) {
            return SendBufferSizes.fixed(0);
        }
        return new SendBufferSizes(LOOPBACK_SMALL_MESSAGE_SEND_BUFFER_BYTES, LOOPBACK_LARGE_MESSAGE_SEND_BUFFER_BYTES);
    }

    /** For the links line of the log: what {@link #sendBuffersFor} gives. */
    public String describeSendBuffer() {
        if (sendBufferBytes < 0) {
            return "send buffer on local links " + (LOOPBACK_SMALL_MESSAGE_SEND_BUFFER_BYTES >> 20) + " MiB for small "
                    + "messages, " + (LOOPBACK_LARGE_MESSAGE_SEND_BUFFER_BYTES >> 10) + " KiB for large ones, the OS's "
                    + "on others";
        }
        return sendBufferBytes == 0 ? "send buffer the OS's" : "send buffer " + sendBufferBytes + " bytes";
    }

    public Tuning tuning() {
        return tuning;
    }

    public boolean sealLinks() {
        return sealLinks;
    }

    public boolean tls() {
        return tls;
    }

    public HealLinks healLinks() {
        return healLinks;
    }

    public SecondConnectionMode secondConnection() {
        return secondConnection;
    }

    public Duration linkStallTimeout() {
        return linkStallTimeout;
    }

    /** The failure to inject into one direct link (tests only), or null. */
    public LinkFault linkFault() {
        return linkFault;
    }

    /** The PEM file of trusted certificates, or null for the JVM's default trust store. */
    public Path tlsTrust() {
        return tlsTrust;
    }

    public static final class Builder {
        private String jobId;
        private int rank = -1;
        private int worldSize = -1;
        private byte[] secret;
        private InetSocketAddress rendezvous = InetSocketAddress.createUnresolved("127.0.0.1", DEFAULT_PORT);
        private Duration operationTimeout = Duration.ofSeconds(30);
        private Duration joinTimeout = Duration.ofSeconds(120);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private boolean forceRelay;
        private int maxParallelSetups = 8;
        private Duration punchTimeout = Duration.ofSeconds(5);
        private boolean punch = true;
        private String bindHost = "0.0.0.0";
        private String advertiseHost;
        private long spinNanos = -1;
        private long busyNanos = -1;
        private int maxSegmentBytes = 1 << 20;
        private int sendBufferBytes = -1;
        private Tuning tuning = Tuning.defaults();
        private boolean sealLinks;
        private boolean tls;
        private Path tlsTrust;
        private HealLinks healLinks = HealLinks.PUNCHED;
        private SecondConnectionMode secondConnection = SecondConnectionMode.AUTO;
        private Duration linkStallTimeout = Duration.ofSeconds(1);
        private LinkFault linkFault;

        private Builder() {
        }

        public Builder jobId(String v) {
            this.jobId = v;
            return this;
        }

        public Builder rank(int v) {
            this.rank = v;
            return this;
        }

        public Builder worldSize(int v) {
            this.worldSize = v;
            return this;
        }

        public Builder secret(byte[] v) {
            this.secret = v == null ? null : v.clone();
            return this;
        }

        public Builder rendezvous(String host, int port) {
            this.rendezvous = InetSocketAddress.createUnresolved(host, port);
            return this;
        }

        /** Parses "host:port" (or just "host", port 7700). */
        public Builder rendezvous(String hostPort) {
            Objects.requireNonNull(hostPort, "rendezvous");
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                return rendezvous(hostPort, DEFAULT_PORT);
            }
            String port = hostPort.substring(colon + 1);
            try {
                return rendezvous(hostPort.substring(0, colon), Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rendezvous address '" + hostPort + "': port '" + port
                        + "' is not a number");
            }
        }

        public Builder operationTimeout(Duration v) {
            this.operationTimeout = v;
            return this;
        }

        public Builder joinTimeout(Duration v) {
            this.joinTimeout = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            this.connectTimeout = v;
            return this;
        }

        public Builder forceRelay(boolean v) {
            this.forceRelay = v;
            return this;
        }

        public Builder maxParallelSetups(int v) {
            this.maxParallelSetups = v;
            return this;
        }

        public Builder punchTimeout(Duration v) {
            this.punchTimeout = v;
            return this;
        }

        public Builder punch(boolean v) {
            this.punch = v;
            return this;
        }

        public Builder bindHost(String v) {
            this.bindHost = v;
            return this;
        }

        public Builder advertiseHost(String v) {
            this.advertiseHost = v;
            return this;
        }

        public Builder spinNanos(long v) {
            this.spinNanos = v;
            return this;
        }

        public Builder busyNanos(long v) {
            this.busyNanos = v;
            return this;
        }

        public Builder maxSegmentBytes(int v) {
            this.maxSegmentBytes = v;
            return this;
        }

        /** SO_SNDBUF of direct links: bytes, 0 for the OS's autotuning, -1 (the default) for automatic. */
        public Builder sendBufferBytes(int v) {
            this.sendBufferBytes = v;
            return this;
        }

        public Builder tuning(Tuning v) {
            this.tuning = v;
            return this;
        }

        public Builder sealLinks(boolean v) {
            this.sealLinks = v;
            return this;
        }

        public Builder tls(boolean v) {
            this.tls = v;
            return this;
        }

        public Builder healLinks(HealLinks v) {
            this.healLinks = v;
            return this;
        }

        public Builder secondConnection(SecondConnectionMode v) {
            this.secondConnection = v;
            return this;
        }

        public Builder linkStallTimeout(Duration v) {
            this.linkStallTimeout = v;
            return this;
        }

        /** Testing aid: make this rank's direct link to one peer fail after some bytes (see {@link LinkFault}). */
        public Builder linkFault(LinkFault v) {
            this.linkFault = v;
            return this;
        }

        /** Trust the certificates in this PEM file for the rendezvous server (null: the JVM's); turns tls on. */
        public Builder tlsTrust(Path v) {
            this.tlsTrust = v;
            if (v != null) {
                this.tls = true;
            }
            return this;
        }

        /** Validates every option and names the first bad one. */
        public CommunicatorOptions build() {
            if (!Limits.isValidJobId(jobId)) {
                throw new IllegalArgumentException("jobId '" + jobId + "' must be " + Limits.JOB_ID_RULE);
            }
            if (worldSize < 1 || worldSize > MAX_WORLD_SIZE) {
                throw new IllegalArgumentException("worldSize must be 1.." + MAX_WORLD_SIZE + ", got " + worldSize);
            }
            if (rank < 0 || rank >= worldSize) {
                throw new IllegalArgumentException("rank must be 0.." + (worldSize - 1) + " for world size "
                        + worldSize + ", got " + rank);
            }
            requirePositive("operationTimeout", operationTimeout);
            requirePositive("joinTimeout", joinTimeout);
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("punchTimeout", punchTimeout);
            requirePositive("linkStallTimeout", linkStallTimeout);
            Objects.requireNonNull(healLinks, "healLinks");
            if (linkFault != null && (linkFault.peer() >= worldSize || linkFault.peer() == rank)) {
                throw new IllegalArgumentException("linkFault peer must be another rank of 0.." + (worldSize - 1)
                        + ", got " + linkFault.peer());
            }
            if (maxParallelSetups < 1) {
                throw new IllegalArgumentException("maxParallelSetups must be >= 1, got " + maxParallelSetups);
            }
            if (rendezvous == null || rendezvous.getPort() < 1 || rendezvous.getPort() > 65535) {
                throw new IllegalArgumentException("rendezvous port must be 1..65535, got "
                        + (rendezvous == null ? "none" : rendezvous.getPort()));
            }
            if (spinNanos < -1) {
                throw new IllegalArgumentException("spinNanos must be >= 0 (or -1 for automatic), got " + spinNanos);
            }
            if (busyNanos < -1) {
                throw new IllegalArgumentException("busyNanos must be >= 0 (or -1 for automatic), got " + busyNanos);
            }
            if (sendBufferBytes < -1 || sendBufferBytes > MAX_SEND_BUFFER_BYTES) {
                throw new IllegalArgumentException("sendBufferBytes must be 0 (the OS's autotuning), -1 (automatic) "
                        + "or 1.." + MAX_SEND_BUFFER_BYTES + " bytes, got " + sendBufferBytes);
            }
            if (maxSegmentBytes < 1024 || maxSegmentBytes > (64 << 20)) {
                throw new IllegalArgumentException("maxSegmentBytes must be 1 KiB..64 MiB, got " + maxSegmentBytes);
            }
            Objects.requireNonNull(bindHost, "bindHost");
            Objects.requireNonNull(tuning, "tuning");
            if (tlsTrust != null && !Files.isReadable(tlsTrust)) {
                throw new IllegalArgumentException("tlsTrust file " + tlsTrust + " does not exist or is not readable");
            }
            return new CommunicatorOptions(this);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
            }
        }
    }
}
