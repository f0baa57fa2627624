package io.jfmi.benchmarks.collective;

import io.jfmi.worker.launch.LocalServer;
import io.jfmi.worker.launch.RankProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** Runs the jfmi collective benchmark for one rank count: a local server plus one JVM per rank. */
public final class JfmiRunner {
    /**
     * What to run; {@code spinNanos} -1 is automatic.
     *
     * @param tls         the server speaks TLS (self-signed, trusted by the ranks)
     * @param sealLinks   ranks seal their direct links (AES-GCM)
     * @param primeRounds rounds of io.jfmi.core.Warmup each rank runs before joining (0: none)
     * @param rankArgs    further options for every rank (e.g. --heal-links all)
     * @param bindToCores start rank r's JVM on one CPU (RankProcesses.Spec)
     */
    public record Plan(List<String> ops, List<Integer> sizes, int iterations, int warmup, boolean verify,
            boolean forceRelay, boolean tls, boolean sealLinks, long spinNanos, List<String> jvmOpts,
            List<String> algorithms, int primeRounds, List<String> rankArgs, boolean bindToCores) {
    }

    /** The run failed; {@code verifyFailed} when a result was wrong (exit code 3 of a rank). */
    public static final class RunFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean verifyFailed;

        RunFailed(String message, boolean verifyFailed) {
            super(message);
            this.verifyFailed = verifyFailed;
        }

        public boolean verifyFailed() {
            return verifyFailed;
        }
    }

    private JfmiRunner() {
    }

    public static List<ResultRow> run(Plan plan, int ranks) throws Exception {
        List<String> args = new ArrayList<>(List.of("--ops", String.join(",", plan.ops()), "--sizes",
                plan.sizes().stream().map(String::valueOf).collect(Collectors.joining(",")), "--iterations",
                Integer.toString(plan.iterations()), "--warmup", Integer.toString(plan.warmup()), "--timeout", "120",
                "--spin-nanos", Long.toString(plan.spinNanos())));
        if (plan.verify()) {
            args.add("--verify");
        }
        if (plan.primeRounds() > 0) {
            args.addAll(List.of("--prime", Integer.toString(plan.primeRounds())));
        }
        if (plan.forceRelay()) {
            args.add("--force-relay");
        }
        if (plan.sealLinks()) {
            args.add("--seal-links");
        }
        args.addAll(plan.rankArgs());
        if (!plan.algorithms().isEmpty()) {
            args.add("--algorithm");
            args.add(String.join(",", plan.algorithms()));
        }
        return runRanks(CollectiveBenchRank.class, args, ranks, withDirectMemory(plan.jvmOpts(), plan.sizes(), ranks),
                plan.tls(), plan.bindToCores());
    }

    /**
     * {@code jvmOpts} with room for the benchmark's direct buffers ({@link #directMemoryFor}) unless they set
     * {@code -XX:MaxDirectMemorySize} themselves: by default the JVM allows as much direct memory as heap, and a
     * 4-rank 64 MiB allgather's buffers alone need 512 MiB.
     */
    static List<String> withDirectMemory(List<String> jvmOpts, List<Integer> sizes, int ranks) {
        if (jvmOpts.stream().anyMatch(o -> o.startsWith("-XX:MaxDirectMemorySize="))) {
            return jvmOpts;
        }
        List<String> opts = new ArrayList<>(jvmOpts);
        opts.add("-XX:MaxDirectMemorySize=" + directMemoryFor(sizes, ranks));
        return opts;
    }

    /**
     * Direct memory a rank needs: its send and receive buffers hold {@code bytes} for every rank (allgather,
     * alltoall), plus the reduction scratch and the data path's own buffers.
     */
    static long directMemoryFor(List<Integer> bytes, int ranks) {
        long largest = bytes.stream().mapToLong(Integer::longValue).max().orElse(0);
        return 3 * largest * ranks + (256L << 20);
    }

    /**
     * Starts a local server and {@code ranks} JVMs running {@code rankMain} with {@code args} (and the job options),
     * and returns the rows rank 0 printed as RESULT lines; other output goes to stderr, tagged by rank.
     */
    static List<ResultRow> runRanks(Class<?> rankMain, List<String> rankArgs, int ranks, List<String> jvmOpts,
            boolean tls, boolean bindToCores) throws Exception {
        List<String> args = new ArrayList<>(rankArgs);
        List<String> results = Collections.synchronizedList(new ArrayList<>());
        try (LocalServer server = LocalServer.start(tls)) {
            if (tls) {
                args.addAll(List.of("--tls-trust", server.trustFile().toString()));
            }
            RankProcesses.Spec spec = new RankProcesses.Spec(ranks, jvmOpts, rankMain.getName(), args,
                    server.address(), "bench-" + ranks, server.secretFile(), Duration.ofMinutes(30),
                    Duration.ofSeconds(30), bindToCores);
            RankProcesses.Outcome outcome = RankProcesses.run(spec, (rank, line) -> {
                if (line.startsWith(CollectiveBenchRank.RESULT_PREFIX)) {
                    results.add(line.substring(CollectiveBenchRank.RESULT_PREFIX.length()));
                } else {
                    System.err.println("[jfmi " + ranks + " ranks, rank " + rank + "] " + line);
                }
            });
            if (!outcome.succeeded()) {
                throw new RunFailed("jfmi " + ranks + "-rank run failed (exit codes " + outcome.exitCodes() + ")",
                        outcome.exitCodes().contains(3));
            }
        }
        return results.stream().map(ResultRow::parse).toList();
    }
}
