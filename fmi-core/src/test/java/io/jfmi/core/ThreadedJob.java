package io.jfmi.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs N ranks as threads of this JVM over real loopback sockets, one communicator each. */
final class ThreadedJob {
    interface RankBody<T> {
        T run(Communicator comm) throws Exception;
    }

    private ThreadedJob() {
    }

    static <T> List<T> run(int n, RankBody<T> body) throws Exception {
        return run(n, b -> { }, body);
    }

    /** Runs {@code body} on every rank; returns results in rank order; rethrows the first rank's failure. */
    static <T> List<T> run(int n, Consumer<CommunicatorOptions.Builder> tweak, RankBody<T> body) throws Exception {
        List<Outcome<T>> outcomes = runCollectingFailures(n, tweak, body);
        List<T> results = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        Throwable first = null;
        for (int r = 0; r < outcomes.size(); r++) {
            Outcome<T> o = outcomes.get(r);
            if (o.error != null) {
                errors.append("\n  rank ").append(r).append(": ").append(o.error);
                first = first == null ? o.error : first;
            }
            results.add(o.value);
        }
        if (first != null) {
            throw new AssertionError("ranks failed:" + errors, first);
        }
        return results;
    }

    record Outcome<T>(T value, Throwable error) {
    }

    /** Like {@link #run} but returns each rank's value or error, for failure tests. */
    static <T> List<Outcome<T>> runCollectingFailures(int n, Consumer<CommunicatorOptions.Builder> tweak,
            RankBody<T> body) throws Exception {
        LocalJob hub = new LocalJob(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    CommunicatorOptions.Builder b = CommunicatorOptions.builder().jobId("test-job").rank(rank)
                            .worldSize(n).operationTimeout(Duration.ofSeconds(20)).joinTimeout(Duration.ofSeconds(20));
                    tweak.accept(b);
                    try (Communicator comm = Communicator.connect(b.build(), hub)) {
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
}
