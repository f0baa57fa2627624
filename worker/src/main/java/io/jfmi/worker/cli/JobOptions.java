package io.jfmi.worker.cli;

import io.jfmi.core.CommunicatorOptions;
import io.jfmi.core.HealLinks;
import io.jfmi.core.SecondConnectionMode;
import io.jfmi.core.Tuning;
import io.jfmi.protocol.SecretFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every rank process takes to join a job (shared by worker and benchmark ranks). */
public final class JobOptions {
    @Option(names = "--rendezvous", required = true, paramLabel = "HOST:PORT",
            description = "Rendezvous server address.")
    public String rendezvous;

    @Option(names = "--job", required = true, paramLabel = "ID", description = "Job id (letters, digits, . _ : -).")
    public String job;

    @Option(names = "--secret-file", required = true, paramLabel = "FILE",
            description = "File holding the job secret (same format as the server's).")
    public Path secretFile;

    @Option(names = "--rank", required = true, description = "This process's rank, 0..world-size-1.")
    public int rank;

    @Option(names = "--world-size", required = true, description = "Number of ranks in the job.")
    public int worldSize;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Deadline of every collective and point-to-point call (default: ${DEFAULT-VALUE}).")
    public long timeoutSeconds = 60;

    @Option(names = "--join-timeout", paramLabel = "SECONDS",
            description = "Deadline for all ranks to register and connect (default: ${DEFAULT-VALUE}).")
    public long joinTimeoutSeconds = 120;

    @Option(names = "--force-relay", description = "Send every pair through the server's relay.")
    public boolean forceRelay;

    @Option(names = "--no-punch", description = "Do not try TCP hole punching; pairs without a direct link use "
            + "the relay at once.")
    public boolean noPunch;

    @Option(names = "--punch-timeout", paramLabel = "SECONDS", description = "How long both sides of a pair keep "
            + "punching before falling back to the relay (default: ${DEFAULT-VALUE}).")
    public double punchTimeoutSeconds = 5;

    @Option(names = "--tls", description = "Speak TLS to the rendezvous server (control and relay connections), "
            + "trusting the JVM's certificate authorities unless --tls-trust is given.")
    public boolean tls;

    @Option(names = "--tls-trust", paramLabel = "FILE", description = "PEM certificates that may sign the server's "
            + "certificate (e.g. the server's rendezvous-cert.pem); implies --tls.")
    public Path tlsTrust;

    @Option(names = "--seal-links", description = "Encrypt and authenticate direct-link frames (AES-128-GCM, keyed "
            + "per link from the job's session key); every rank of the job must say the same.")
    public boolean sealLinks;

    @Option(names = "--heal-links", paramLabel = "WHICH", description = "Which direct links keep what they sent "
            + "until acknowledged, so one that breaks or stalls mid-job moves to the relay without losing a message: "
            + "off, punched or all; every rank of the job must say the same (default: punched).")
    public String healLinks = "punched";

    @Option(names = "--second-connection", paramLabel = "MODE", description = "Whether dialed links (loopback, LAN) "
            + "open a second connection for the dialer's messages of 64 KiB and more (two large messages crossing on "
            + "one socket move at about half the speed): auto (while ranks on the host do not outnumber its cores), "
            + "on or off. Both ends follow the dialer, so ranks need not agree (default: ${DEFAULT-VALUE}).")
    public String secondConnection = "auto";

    @Option(names = "--link-stall-timeout", paramLabel = "SECONDS", description = "How long a healing link may wait "
            + "with bytes owed and none moving before its peer is asked whether it stalled (default: "
            + "${DEFAULT-VALUE}).")
    public double linkStallTimeoutSeconds = 1;

    @Option(names = "--spin-nanos", paramLabel = "NS", description = "Poll budget before parking; -1 = 1 ms, or "
            + "250 µs when ranks outnumber cores. The poll is busy for its first 10 µs, then yields the core on every "
            + "turn (from the first turn when ranks on this host outnumber cores) (default: ${DEFAULT-VALUE}).")
    public long spinNanos = -1;

    @Option(names = "--busy-nanos", paramLabel = "NS", description = "Busy part of that poll, before every turn also "
            + "yields the core; -1 = 10 µs, or 0 when ranks on this host outnumber cores (default: ${DEFAULT-VALUE}).")
    public long busyNanos = -1;

    @Option(names = "--algorithm", paramLabel = "OP=NAME", split = ",", description = "Force collective "
            + "algorithms, e.g. allreduce=ring,bcast=binomial,allgather=bruck,reduce=linear,alltoall=pairwise; "
            + "names: auto and those of README's algorithm table (default: chosen per call).")
    public java.util.Map<String, String> algorithms = new java.util.LinkedHashMap<>();

    @Option(names = "--send-buffer", paramLabel = "BYTES", description = "Send buffer (SO_SNDBUF) of every direct "
            + "link: K/M suffixes allowed; 0 leaves it to the OS's autotuning; auto = on local (loopback) links 512K "
            + "while writing messages of 64K and more, 4M while writing smaller ones; the OS's on others "
            + "(default: ${DEFAULT-VALUE}).")
    public String sendBuffer = "auto";

    @Option(names = "--segment-bytes", paramLabel = "BYTES", description = "Pipeline segment of large reductions "
            + "(ring reduce-scatter, tree reduce): also bounds their scratch memory; K/M suffixes allowed, at least 1K "
            + "(default: 512K).")
    public String segmentBytes;

    /** The named algorithm of {@code op}, or an error that lists the names it could have been. */
    private static <A extends Enum<A>> A algorithm(Class<A> algorithms, String op, String name) {
        try {
            return Enum.valueOf(algorithms, name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String known = java.util.Arrays.stream(algorithms.getEnumConstants())
                    .map(a -> a.name().toLowerCase(java.util.Locale.ROOT))
                    .collect(java.util.stream.Collectors.joining(", "));
            throw new IllegalArgumentException("--algorithm: unknown " + op + " algorithm '" + name + "' (" + known
                    + ")", e);
        }
    }

    /** The tuning with any forced algorithms and segment size applied; names the bad entry otherwise. */
    public Tuning tuning() {
        Tuning t = Tuning.defaults();
        if (segmentBytes != null) {
            int bytes;
            try {
                bytes = BinarySizes.parse(segmentBytes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--segment-bytes: " + e.getMessage(), e);
            }
            if (bytes < 1024) {
                throw new IllegalArgumentException("--segment-bytes must be at least 1K, got '" + segmentBytes + "'");
            }
            t = t.withSegmentBytes(bytes);
        }
        for (java.util.Map.Entry<String, String> e : algorithms.entrySet()) {
            String op = e.getKey().trim().toLowerCase(java.util.Locale.ROOT);
            String name = e.getValue();
            t = switch (op) {
                case "allreduce" -> t.withAllreduce(algorithm(Tuning.AllreduceAlgorithm.class, op, name));
                case "bcast" -> t.withBcast(algorithm(Tuning.BcastAlgorithm.class, op, name));
                case "allgather" -> t.withAllgather(algorithm(Tuning.AllgatherAlgorithm.class, op, name));
                case "reduce" -> t.withReduce(algorithm(Tuning.ReduceAlgorithm.class, op, name));
                case "alltoall" -> t.withAlltoall(algorithm(Tuning.AlltoallAlgorithm.class, op, name));
                default -> throw new IllegalArgumentException("--algorithm: unknown op '" + e.getKey()
                        + "' (allreduce, bcast, allgather, reduce, alltoall)");
            };
        }
        return t;
    }

    /** Builds validated communicator options; names the file when the secret cannot be read. */
    public CommunicatorOptions toCommunicatorOptions() {
        byte[] secret;
        try {
            secret = SecretFile.read(secretFile).secretFor(job).orElseThrow(() -> new IllegalArgumentException(
                    "secret file " + secretFile + " has no secret for job '" + job + "'"));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return CommunicatorOptions.builder().jobId(job).rank(rank).worldSize(worldSize).secret(secret)
                .rendezvous(rendezvous).operationTimeout(Duration.ofSeconds(timeoutSeconds))
                .joinTimeout(Duration.ofSeconds(joinTimeoutSeconds)).forceRelay(forceRelay).spinNanos(spinNanos)
                .busyNanos(busyNanos).sendBufferBytes(sendBufferBytes())
                .tuning(tuning()).punch(!noPunch).punchTimeout(Duration.ofMillis((long) (punchTimeoutSeconds * 1000)))
                .tls(tls).tlsTrust(tlsTrust).sealLinks(sealLinks).healLinks(healLinks())
                .secondConnection(secondConnection())
                .linkStallTimeout(seconds("--link-stall-timeout", linkStallTimeoutSeconds)).build();
    }

    private int sendBufferBytes() {
        if (sendBuffer.trim().equalsIgnoreCase("auto")) {
            return -1;
        }
        int bytes;
        try {
            bytes = BinarySizes.parse(sendBuffer.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--send-buffer: " + e.getMessage() + " (or auto)", e);
        }
        if (bytes > CommunicatorOptions.MAX_SEND_BUFFER_BYTES) {
            throw new IllegalArgumentException("--send-buffer must be at most 64M, got '" + sendBuffer + "'");
        }
        return bytes;
    }

    private SecondConnectionMode secondConnection() {
        try {
            return SecondConnectionMode.valueOf(secondConnection.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--second-connection must be auto, on or off, got '" + secondConnection
                    + "'");
        }
    }

    private HealLinks healLinks() {
        try {
            return HealLinks.valueOf(healLinks.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--heal-links must be off, punched or all, got '" + healLinks + "'");
        }
    }

    private static Duration seconds(String option, double value) {
        if (!(value > 0) || value > 3600) {
            throw new IllegalArgumentException(option + " must be a number of seconds in (0, 3600], got " + value);
        }
        return Duration.ofNanos((long) (value * 1e9));
    }
}
