package io.jfmi.rendezvous;

import io.jfmi.protocol.SecretFile;
import io.jfmi.rendezvous.tls.SelfSignedCertificate;
import io.jfmi.rendezvous.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code java -jar rendezvous.jar}: runs the server until interrupted. */
@Command(name = "rendezvous", mixinStandardHelpOptions = true, version = "jfmi rendezvous 0.1.0",
        description = {"Registers jobs and ranks, hands out peer tables, agrees on channels and relays data frames "
                + "between ranks that cannot reach each other directly.", ""},
        sortOptions = false)
public final class RendezvousMain implements Callable<Integer> {
    static {
        // The server's logging configuration has its own name, so that an application with the server on its class
        // path (the worker's launcher) keeps its own logback.xml. Set before the first logger below is made.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "jfmi-rendezvous-logback.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RendezvousMain.class);

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--port", description = "Control and relay port; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--http-port", description = "Port for GET /healthz and GET /metrics; 0 picks a free port, "
            + "-1 turns HTTP off (default: ${DEFAULT-VALUE}).")
    int httpPort = ServerConfig.DEFAULT_HTTP_PORT;

    @Option(names = "--secret-file", description = "Job secrets: lines of '<secret>' (any job) or "
            + "'<job-id> <secret>'. Created with a random any-job secret if missing (default: ${DEFAULT-VALUE}).")
    Path secretFile = Path.of("rendezvous.secret");

    @Option(names = "--max-frame-bytes",
            description = "Largest relayed data frame payload (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes = 1 << 20;

    @Option(names = "--max-jobs", description = "Jobs held at once (default: ${DEFAULT-VALUE}).")
    int maxJobs = 1024;

    @Option(names = "--max-world-size", description = "Ranks per job (default: ${DEFAULT-VALUE}).")
    int maxWorldSize = 1024;

    @Option(names = "--job-idle-timeout", description = "Seconds after which a job that has not formed, or has no "
            + "connected rank, is forgotten (default: ${DEFAULT-VALUE}).")
    long jobIdleTimeoutSeconds = 600;

    @Option(names = "--handshake-timeout", description = "Seconds a new connection has to say hello and prove the "
            + "secret (default: ${DEFAULT-VALUE}).")
    long handshakeTimeoutSeconds = 30;

    @Option(names = "--max-connections-per-address", description = "Open connections from one IP address "
            + "(default: ${DEFAULT-VALUE}; Lambda functions in a VPC may share one NAT address).")
    int maxConnectionsPerAddress = ConnectionLimits.DEFAULTS.perAddress();

    @Option(names = "--max-pending-handshakes", description = "Connections still in hello and proof, server-wide "
            + "(default: ${DEFAULT-VALUE}).")
    int maxPendingHandshakes = ConnectionLimits.DEFAULTS.pendingHandshakes();

    @Option(names = "--relay-buffer-bytes", description = "Unsent relayed bytes queued for one receiving rank "
            + "before its senders pause (default: ${DEFAULT-VALUE}).")
    int relayBufferBytes = ConnectionLimits.DEFAULTS.relayBufferBytes();

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain for TLS on the control "
            + "and relay port (with --tls-key). Ranks then need --tls and, for a private CA, --tls-trust.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (unencrypted PKCS#8, RSA or EC) "
            + "of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-self-signed", paramLabel = "DIR", description = "TLS with a self-signed certificate for "
            + "local use: reuses DIR/" + SelfSignedCertificate.CERTIFICATE_FILE + " and DIR/"
            + SelfSignedCertificate.KEY_FILE + ", or issues them. Give ranks --tls-trust DIR/"
            + SelfSignedCertificate.CERTIFICATE_FILE + ".")
    Path tlsSelfSigned;

    @Option(names = "--tls-name", paramLabel = "NAME", description = "Host name or address the self-signed "
            + "certificate also covers (repeatable; localhost, loopback and this host's name are always in).")
    List<String> tlsNames = new ArrayList<>();

    @Option(names = "--port-file", description = "Write the bound control and HTTP ports here (two lines) once "
            + "listening; for scripts that use port 0.")
    Path portFile;

    /** Exit code for bad arguments, as the worker's commands use (sysexits EX_USAGE). */
    static final int BAD_ARGUMENTS = 64;
    /** Exit code when the secret file or the port file cannot be read or written. */
    static final int IO_ERROR = 1;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the server with {@code args}; returns only when it stops, or at once with an error's exit code. */
    static int execute(String... args) {
        CommandLine cl = new CommandLine(new RendezvousMain());
        cl.getCommandSpec().exitCodeOnInvalidInput(BAD_ARGUMENTS);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean badValue = ex instanceof IllegalArgumentException;
            if (!badValue && !(ex instanceof IOException)) {
                throw ex;
            }
            cmd.getErr().println("error: " + ex.getMessage());
            return badValue ? BAD_ARGUMENTS : IO_ERROR;
        });
        return cl.execute(args);
    }

    /** Names TLS options that do not go together. */
    private void checkTlsOptions() {
        if (tlsSelfSigned != null && (tlsCert != null || tlsKey != null)) {
            throw new IllegalArgumentException("--tls-self-signed and --tls-cert/--tls-key exclude each other");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (!tlsNames.isEmpty() && tlsSelfSigned == null) {
            throw new IllegalArgumentException("--tls-name applies to --tls-self-signed only");
        }
        if (tlsCert != null) {
            new TlsFiles(tlsCert, tlsKey).validate();
        }
    }

    /** The TLS files the options name (issuing a self-signed pair if asked), or null for plain TCP. */
    private TlsFiles tlsFiles() throws IOException {
        if (tlsSelfSigned != null) {
            TlsFiles files = SelfSignedCertificate.inDirectory(tlsSelfSigned,
                    SelfSignedCertificate.defaultNames(tlsNames));
            log.info("TLS with the self-signed certificate {} (ranks trust it with --tls-trust {})",
                    files.certificate(), files.certificate().toAbsolutePath());
            return files;
        }
        return tlsCert == null ? null : new TlsFiles(tlsCert, tlsKey);
    }

    @Override
    public Integer call() throws Exception {
        // Every option is checked before a file is read or written: a bad one leaves no secret or key behind.
        ServerConfig settings = ServerConfig.defaults(null).withPorts(host, port, httpPort)
                .withLimits(maxFrameBytes, maxJobs, maxWorldSize, Duration.ofSeconds(jobIdleTimeoutSeconds),
                        Duration.ofSeconds(handshakeTimeoutSeconds))
                .withConnectionLimits(new ConnectionLimits(maxConnectionsPerAddress, maxPendingHandshakes,
                        relayBufferBytes))
                .validateSettings();
        checkTlsOptions();
        SecretFile secrets;
        if (Files.exists(secretFile)) {
            secrets = SecretFile.read(secretFile);
        } else {
            secrets = SecretFile.generate(secretFile);
            log.info("generated a random job secret in {} (give this file to the ranks: --secret-file)",
                    secretFile.toAbsolutePath());
        }
        ServerConfig config = settings.withSecrets(secrets).withTls(tlsFiles()).validate();
        RendezvousServer server = RendezvousServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jfmi-rendezvous-shutdown"));
        if (portFile != null) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, server.port() + "\n" + server.httpPort() + "\n");
            Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        server.awaitClose();
        return 0;
    }
}
