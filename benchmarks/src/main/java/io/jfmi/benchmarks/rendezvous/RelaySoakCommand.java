package io.jfmi.benchmarks.rendezvous;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.benchmarks.collective.CollectiveBenchRank;
import io.jfmi.benchmarks.collective.ResultRow;
import io.jfmi.worker.launch.RankProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Gigabytes through the relay: rank JVMs whose every pair is relayed run alltoalls until 1 GiB has crossed. */
@Command(name = "relay-soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Moves --gib GiB through the rendezvous server's relay (every pair relayed, alltoall of "
                + "--block bytes to each peer, verified once) with each rank count; reports the relayed bytes, the "
                + "relay's throughput and the server's peak heap, which the per-rank relay buffer must bound."})
public final class RelaySoakCommand implements Callable<Integer> {
    private static final String SECRET = "relay-soak-secret-0123456789";

    @Option(names = "--ranks", split = ",", description = "Rank counts, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(2, 8);

    @Option(names = "--gib", description = "GiB to move through the relay per run (default: ${DEFAULT-VALUE}).")
    double gib = 1;

    @Option(names = "--block", description = "Bytes each rank sends each peer per alltoall, K/M suffixes allowed "
            + "(default: 2 ranks 32M, more 4M).")
    String block;

    @Option(names = "--server-heap", description = "-Xmx of the server JVM (default: ${DEFAULT-VALUE}).")
    String serverHeap = "512m";

    @Option(names = "--out", description = "Also write relay-soak.md into this directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (gib <= 0) {
            throw new IllegalArgumentException("--gib must be > 0, got " + gib);
        }
        StringBuilder table = new StringBuilder("| ranks | block | alltoalls | relayed GiB | wall s | mean alltoall ms "
                + "| relay throughput MB/s (per alltoall) | server peak heap MB |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (int n : ranks) {
            if (n < 2) {
                throw new IllegalArgumentException("--ranks must be >= 2, got " + n);
            }
            table.append(run(n)).append('\n');
        }
        System.out.print(table);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("relay-soak.md"), table);
        }
        return 0;
    }

    private String run(int n) throws Exception {
        int bytes = Sizes.parse(block != null ? block : n == 2 ? "32M" : "4M");
        long perCall = (long) n * (n - 1) * bytes;
        int calls = (int) Math.max(1, Math.ceil(gib * (1L << 30) / perCall));
        try (ServerProcess server = ServerProcess.start(serverHeap, SECRET, List.of())) {
            ServerWatcher watcher = new ServerWatcher(server.httpPort());
            watcher.start();
            double relayedBefore = watcher.value("jfmi_relayed_bytes_total").orElse(0);
            List<String> results = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            RankProcesses.Spec spec = new RankProcesses.Spec(n, List.of("-Xmx256m", "-XX:MaxDirectMemorySize=1g",
                    "-XX:+UseSerialGC", "-Djfmi.log.level=WARN"), CollectiveBenchRank.class.getName(),
                    List.of("--ops", "alltoall", "--sizes", Integer.toString(bytes), "--iterations",
                            Integer.toString(calls), "--warmup", "0", "--verify", "--force-relay", "--timeout", "300"),
                    server.address(), "relay-soak-" + n, server.secretFile(), Duration.ofMinutes(20),
                    Duration.ofSeconds(30));
            RankProcesses.Outcome outcome = RankProcesses.run(spec, (rank, line) -> {
                if (line.startsWith(CollectiveBenchRank.RESULT_PREFIX)) {
                    results.add(line.substring(CollectiveBenchRank.RESULT_PREFIX.length()));
                } else {
                    System.err.println("[relay-soak " + n + " ranks, rank " + rank + "] " + line);
                }
            });
            double wall = (System.nanoTime() - start) / 1e9;
            double relayed = watcher.value("jfmi_relayed_bytes_total").orElse(Double.NaN) - relayedBefore;
            watcher.stop();
            if (!outcome.succeeded() || results.isEmpty()) {
                throw new IllegalStateException("relay soak with " + n + " ranks failed: exit codes "
                        + outcome.exitCodes());
            }
            ResultRow r = ResultRow.parse(results.get(0));
            String row = String.format(Locale.ROOT, "| %d | %s | %d | %.2f | %.1f | %.1f | %.0f | %d |", n,
                    Sizes.format(bytes), calls, relayed / (1L << 30), wall, r.meanUs() / 1000,
                    perCall / r.meanUs(), watcher.peakBytes() >> 20);
            System.err.println("relay soak: " + row);
            return row;
        }
    }
}
