package io.jfmi.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code rendezvous.jar} started as its own process on free loopback ports. */
public final class RendezvousProcess implements AutoCloseable {
    final Process process;
    final int port;
    final int httpPort;
    public final Path secretFile;
    final Path log;

    public RendezvousProcess(Path dir) throws IOException, InterruptedException {
        this(dir, 0);
    }

    /** On {@code fixedPort} (0: any free port), e.g. to restart a server where its ranks expect it. */
    public RendezvousProcess(Path dir, int fixedPort) throws IOException, InterruptedException {
        Path jar = Path.of("..", "rendezvous-server", "target", "rendezvous.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with 'mvn verify' from the repository root");
        }
        secretFile = dir.resolve("job.secret");
        Files.writeString(secretFile, "it-secret-0123456789\n");
        Path portFile = dir.resolve("ports");
        Files.deleteIfExists(portFile);
        log = dir.resolve("rendezvous.log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(fixedPort),
                "--http-port", "0", "--secret-file", secretFile.toString(), "--port-file", portFile.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("rendezvous.jar did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        List<String> ports = Files.readAllLines(portFile);
        port = Integer.parseInt(ports.get(0).trim());
        httpPort = Integer.parseInt(ports.get(1).trim());
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
