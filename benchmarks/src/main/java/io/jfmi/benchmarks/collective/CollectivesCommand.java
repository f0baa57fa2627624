package io.jfmi.benchmarks.collective;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.worker.launch.LocalServer;
import io.jfmi.worker.launch.RankProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code benchmarks.jar collectives}: OSU-style latency of jfmi collectives across rank JVMs on this host. */
@Command(name = "collectives", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time jfmi collectives: for each rank count, start a rendezvous server and one JVM per rank, "
                + "time every op at every size, print mean/p50/p99 latency in microseconds.")
public final class CollectivesCommand implements Callable<Integer> {
    @Option(names = "--ranks", split = ",", description = "Rank counts (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(2, 4, 8);

    @Option(names = "--ops", split = ",", description = "Ops: barrier, bcast, allgather, reduce, allreduce "
            + "(default: ${DEFAULT-VALUE}).")
    List<String> ops = List.of("barrier", "allgather", "reduce");

    @Option(names = "--sizes", split = ",", description = "Bytes per rank, multiples of 8, K/M suffixes allowed "
            + "(default: ${DEFAULT-VALUE}).")
    List<String> sizes = List.of("8", "1K", "64K");

    @Option(names = "--iterations", description = "Timed calls per op and size (default: ${DEFAULT-VALUE}).")
    int iterations = 1000;

    @Option(names = "--warmup", description = "Untimed calls first (default: ${DEFAULT-VALUE}).")
    int warmup = 1000;

    @Option(names = "--verify", description = "Check one call of every op and size against independently "
            + "computed values; exit 3 on a wrong result.")
    boolean verify;

    @Option(names = "--force-relay", description = "Relay every pair through the server.")
    boolean forceRelay;

    @Option(names = "--spin-nanos", description = "Busy-poll budget of every rank before it parks; -1 = "
            + "automatic (default: ${DEFAULT-VALUE}).")
    long spinNanos = -1;

    @Option(names = "--out", description = "Also write results.csv and results.json into this directory.")
    Path out;

    @Option(names = "--jvm-opt", description = "Extra JVM option for every rank (repeatable; default: "
            + "${DEFAULT-VALUE}).")
    List<String> jvmOpts = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djfmi.log.level=WARN"));

    @Override
    public Integer call() throws Exception {
        List<Integer> bytes = sizes.stream().map(Sizes::parse).toList();
        for (int b : bytes) {
            if (b % 8 != 0) {
                throw new IllegalArgumentException("size " + b + " is not a multiple of 8 bytes");
            }
        }
        ops.forEach(BenchOp::parse);
        if (iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("--iterations must be >= 1 and --warmup >= 0");
        }
        List<String> results = Collections.synchronizedList(new ArrayList<>());
        for (int n : ranks) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("--ranks values must be 1..64, got " + n);
            }
            List<String> args = new ArrayList<>(List.of("--ops", String.join(",", ops), "--sizes",
                    bytes.stream().map(String::valueOf).collect(Collectors.joining(",")), "--iterations",
                    Integer.toString(iterations), "--warmup", Integer.toString(warmup), "--timeout", "120"));
            if (verify) {
                args.add("--verify");
            }
            if (forceRelay) {
                args.add("--force-relay");
            }
            args.add("--spin-nanos");
            args.add(Long.toString(spinNanos));
            try (LocalServer server = LocalServer.start()) {
                RankProcesses.Spec spec = new RankProcesses.Spec(n, jvmOpts, CollectiveBenchRank.class.getName(),
                        args, server.address(), "bench-" + n, server.secretFile(), Duration.ofMinutes(30),
                        Duration.ofSeconds(30));
                System.err.printf("collectives: %d ranks ...%n", n);
                RankProcesses.Outcome outcome = RankProcesses.run(spec, (rank, line) -> {
                    if (line.startsWith(CollectiveBenchRank.RESULT_PREFIX)) {
                        results.add(line.substring(CollectiveBenchRank.RESULT_PREFIX.length()));
                    } else {
                        System.err.println("[" + n + " ranks, rank " + rank + "] " + line);
                    }
                });
                if (!outcome.succeeded()) {
                    System.err.printf("collectives: %d-rank run failed (exit codes %s)%n", n, outcome.exitCodes());
                    return outcome.exitCodes().contains(3) ? 3 : 1;
                }
            }
        }
        List<ResultRow> rows = results.stream().map(ResultRow::parse).toList();
        System.out.print(ResultRow.table(rows));
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.csv"), ResultRow.csv(rows));
            Files.writeString(out.resolve("results.json"), "[\n  " + String.join(",\n  ", results) + "\n]\n");
            System.err.println("collectives: wrote " + out.resolve("results.csv") + " and results.json");
        }
        return 0;
    }
}
