package io.jfmi.benchmarks.security;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.benchmarks.collective.BenchOp;
import io.jfmi.benchmarks.collective.HealingCostRank;
import io.jfmi.worker.launch.LocalServer;
import io.jfmi.worker.launch.RankProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmarks.jar healing-cost}: what healing links cost on a healthy path. Each rank joins two jobs at once,
 * one with plain direct links and one with healing links, and the same op runs on both in alternating blocks; the
 * table gives both means, the median of the per-block ratios (the drift-proof figure) and both p99s.
 */
@Command(name = "healing-cost", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cost of healing links (copies kept until acknowledged) on a healthy path: plain and healing "
                + "direct links timed in alternating blocks in the same rank processes.")
public final class HealingCostCommand implements Callable<Integer> {
    @Option(names = "--ranks", split = ",", description = "Rank counts (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(2, 4);

    @Option(names = "--ops", split = ",", description = "Ops (default: ${DEFAULT-VALUE}).")
    List<String> ops = List.of("allreduce", "alltoall", "barrier");

    @Option(names = "--sizes", split = ",", description = "Bytes per rank, K/M suffixes (default: ${DEFAULT-VALUE}).")
    List<String> sizes = List.of("8", "64K", "1M");

    @Option(names = "--blocks", description = "Alternating blocks per setup (default: ${DEFAULT-VALUE}).")
    int blocks = 20;

    @Option(names = "--calls", description = "Timed calls per block, fewer for large messages (default: "
            + "${DEFAULT-VALUE}).")
    int calls = 1000;

    @Option(names = "--out", description = "Also write table.txt into this directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<Integer> bytes = sizes.stream().map(Sizes::parse).toList();
        ops.forEach(BenchOp::parse);
        if (blocks < 2 || calls < 1) {
            throw new IllegalArgumentException("--blocks must be >= 2 and --calls >= 1");
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%5s %-10s %6s %7s %11s %11s %9s %11s "
                + "%11s%n", "ranks", "op", "bytes", "calls", "plain mean", "heal mean", "ratio p50", "plain p99",
                "heal p99"));
        for (int n : ranks) {
            if (n < 2 || n > 64) {
                throw new IllegalArgumentException("--ranks values must be 2..64, got " + n);
            }
            for (String line : run(n, bytes)) {
                String[] f = line.trim().split(" ");
                table.append(String.format(Locale.ROOT, "%5s %-10s %6s %7s %11s %11s %8.3fx %11s %11s%n", f[0], f[1],
                        Sizes.format(Integer.parseInt(f[2])), f[3], f[4], f[5], Double.parseDouble(f[6]), f[7], f[8]));
            }
        }
        System.out.print(table);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("table.txt"), table.toString());
        }
        return 0;
    }

    private List<String> run(int n, List<Integer> bytes) throws Exception {
        List<String> args = List.of("--ops", String.join(",", ops), "--sizes",
                bytes.stream().map(String::valueOf).collect(Collectors.joining(",")), "--blocks",
                Integer.toString(blocks), "--calls", Integer.toString(calls), "--timeout", "120");
        List<String> results = Collections.synchronizedList(new ArrayList<>());
        try (LocalServer server = LocalServer.start(false)) {
            RankProcesses.Spec spec = new RankProcesses.Spec(n, List.of("-Xmx1g", "-XX:+UseSerialGC",
                    "-Djfmi.log.level=WARN"), HealingCostRank.class.getName(), args, server.address(), "heal-" + n,
                    server.secretFile(), Duration.ofMinutes(30), Duration.ofSeconds(30));
            RankProcesses.Outcome outcome = RankProcesses.run(spec, (rank, line) -> {
                if (line.startsWith(HealingCostRank.RESULT_PREFIX)) {
                    results.add(line.substring(HealingCostRank.RESULT_PREFIX.length()));
                } else {
                    System.err.println("[" + n + " ranks, rank " + rank + "] " + line);
                }
            });
            if (!outcome.succeeded()) {
                throw new IllegalStateException("healing-cost " + n + "-rank run failed (exit codes "
                        + outcome.exitCodes() + ")");
            }
        }
        return results;
    }
}
