package io.jfmi.benchmarks.rendezvous;

import io.jfmi.rendezvous.RendezvousMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The rendezvous server as its own JVM on free loopback ports, so its CPU and heap are its own. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final int httpPort;
    private final Path secretFile;

    private ServerProcess(Process process, int port, int httpPort, Path secretFile) {
        this.process = process;
        this.port = port;
        this.httpPort = httpPort;
        this.secretFile = secretFile;
    }

    /** Starts it with {@code -Xmx heap}, an any-job {@code secret}, and {@code extraArgs}; waits until it listens. */
    static ServerProcess start(String heap, String secret, List<String> extraArgs) throws IOException,
            InterruptedException {
        Path dir = Files.createTempDirectory("jfmi-server");
        Path secretFile = dir.resolve("secret");
        Files.writeString(secretFile, secret + "\n");
        Path ports = dir.resolve("ports");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-Djfmi.log.level=WARN",
                "-cp", System.getProperty("java.class.path"),
                RendezvousMain.class.getName(), "--host", "127.0.0.1", "--port", "0", "--http-port", "0",
                "--secret-file", secretFile.toString(), "--port-file", ports.toString()));
        cmd.addAll(extraArgs);
        Path log = dir.resolve("server.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(ports)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the rendezvous server did not start: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        List<String> lines = Files.readAllLines(ports);
        return new ServerProcess(p, Integer.parseInt(lines.get(0).trim()), Integer.parseInt(lines.get(1).trim()),
                secretFile);
    }

    int port() {
        return port;
    }

    int httpPort() {
        return httpPort;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    Path secretFile() {
        return secretFile;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
