package io.jfmi.worker.launch;

import io.jfmi.protocol.SecretFile;
import io.jfmi.rendezvous.RendezvousServer;
import io.jfmi.rendezvous.ServerConfig;
import io.jfmi.rendezvous.tls.SelfSignedCertificate;
import io.jfmi.rendezvous.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A rendezvous server in this JVM on free loopback ports, with a fresh secret file, for a local job. */
public final class LocalServer implements AutoCloseable {
    private final RendezvousServer server;
    private final Path secretFile;
    private final Path dir;
    private final TlsFiles tls;

    private LocalServer(RendezvousServer server, Path secretFile, Path dir, TlsFiles tls) {
        this.server = server;
        this.secretFile = secretFile;
        this.dir = dir;
        this.tls = tls;
    }

    public static LocalServer start() throws IOException, InterruptedException {
        return start(false);
    }

    /** With {@code tls}, the server speaks TLS with a self-signed certificate issued for this job. */
    public static LocalServer start(boolean tls) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jfmi-job");
        Path secret = dir.resolve("job.secret");
        SecretFile secrets = SecretFile.generate(secret);
        TlsFiles files = tls ? SelfSignedCertificate.inDirectory(dir, List.of("localhost", "127.0.0.1")) : null;
        RendezvousServer server = RendezvousServer.start(
                ServerConfig.defaults(secrets).withPorts("127.0.0.1", 0, 0).withTls(files));
        return new LocalServer(server, secret, dir, files);
    }

    /** The certificate ranks trust, or null when the server does not use TLS. */
    public Path trustFile() {
        return tls == null ? null : tls.certificate();
    }

    public String address() {
        return "127.0.0.1:" + server.port();
    }

    public Path secretFile() {
        return secretFile;
    }

    public RendezvousServer server() {
        return server;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(secretFile);
        if (tls != null) {
            Files.deleteIfExists(tls.certificate());
            Files.deleteIfExists(tls.key());
        }
        Files.deleteIfExists(dir);
    }
}
