package io.jfmi.worker.launch;

import io.jfmi.protocol.SecretFile;
import io.jfmi.rendezvous.RendezvousServer;
import io.jfmi.rendezvous.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A rendezvous server in this JVM on free loopback ports, with a fresh secret file, for a local job. */
public final class LocalServer implements AutoCloseable {
    private final RendezvousServer server;
    private final Path secretFile;
    private final Path dir;

    private LocalServer(RendezvousServer server, Path secretFile, Path dir) {
        this.server = server;
        this.secretFile = secretFile;
        this.dir = dir;
    }

    public static LocalServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jfmi-job");
        Path secret = dir.resolve("job.secret");
        SecretFile secrets = SecretFile.generate(secret);
        RendezvousServer server = RendezvousServer.start(
                ServerConfig.defaults(secrets).withPorts("127.0.0.1", 0, 0));
        return new LocalServer(server, secret, dir);
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
        Files.deleteIfExists(dir);
    }
}
