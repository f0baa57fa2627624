package io.jfmi.rendezvous;

import io.jfmi.core.Communicator;
import io.jfmi.core.CommunicatorOptions;
import io.jfmi.protocol.SecretFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** A real rendezvous server on loopback ports plus helpers to run ranks against it as threads. */
final class TestServer implements AutoCloseable {
    static final String SECRET = "test-secret-0123456789";

    final RendezvousServer server;
    final Path secretFile;

    TestServer() throws IOException, InterruptedException {
        this(Duration.ofMinutes(10));
    }

    TestServer(Duration idle) throws IOException, InterruptedException {
        this(idle, c -> c);
    }

    /** A server whose test configuration {@code tweak} adjusts (TLS, limits). */
    TestServer(Duration idle, UnaryOperator<ServerConfig> tweak) throws IOException, InterruptedException {
        secretFile = Files.createTempFile("jfmi", ".secret");
        Files.writeString(secretFile, "other-job other-secret-xyz\n" + SECRET + "\n");
        ServerConfig config = ServerConfig.defaults(SecretFile.read(secretFile)).withPorts("127.0.0.1", 0, 0)
                .withLimits(64 * 1024, 16, 64, idle, Duration.ofSeconds(5));
        server = RendezvousServer.start(tweak.apply(config));
    }

    CommunicatorOptions.Builder options(String job, int rank, int n) {
        return CommunicatorOptions.builder().jobId(job).rank(rank).worldSize(n).secret(SECRET.getBytes())
                .rendezvous("127.0.0.1", server.port()).operationTimeout(Duration.ofSeconds(20))
                .joinTimeout(Duration.ofSeconds(20));
    }

    interface RankBody<T> {
        T run(Communicator comm) throws Exception;
    }

    record Outcome<T>(T value, Throwable error) {
    }

    <T> List<Outcome<T>> run(String job, int n, Consumer<CommunicatorOptions.Builder> tweak, RankBody<T> body)
            throws Exception {
        return runEach(job, n, (rank, b) -> tweak.accept(b), body);
    }

    /** As {@link #run}, with options that may differ by rank. */
    <T> List<Outcome<T>> runEach(String job, int n, BiConsumer<Integer, CommunicatorOptions.Builder> tweak,
            RankBody<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    CommunicatorOptions.Builder b = options(job, rank, n);
                    tweak.accept(rank, b);
                    try (Communicator comm = Communicator.connect(b.build())) {
                        return new Outcome<>(body.run(comm), null);
                    } catch (Throwable t) {
                        return new Outcome<T>(null, t);
                    }
                }));
            }
            List<Outcome<T>> out = new ArrayList<>();
            for (Future<Outcome<T>> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs and requires every rank to succeed. */
    <T> List<T> runOk(String job, int n, Consumer<CommunicatorOptions.Builder> tweak, RankBody<T> body)
            throws Exception {
        return runEachOk(job, n, (rank, b) -> tweak.accept(b), body);
    }

    /** As {@link #runOk}, with options that may differ by rank. */
    <T> List<T> runEachOk(String job, int n, BiConsumer<Integer, CommunicatorOptions.Builder> tweak,
            RankBody<T> body) throws Exception {
        List<Outcome<T>> out = runEach(job, n, tweak, body);
        StringBuilder errors = new StringBuilder();
        List<T> values = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (out.get(r).error() != null) {
                errors.append("\n  rank ").append(r).append(": ").append(out.get(r).error());
            }
            values.add(out.get(r).value());
        }
        if (errors.length() > 0) {
            throw new AssertionError("ranks failed:" + errors);
        }
        return values;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(secretFile);
    }
}
