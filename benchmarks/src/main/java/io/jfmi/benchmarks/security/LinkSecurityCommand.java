package io.jfmi.benchmarks.security;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.benchmarks.collective.BenchOp;
import io.jfmi.benchmarks.collective.JfmiRunner;
import io.jfmi.benchmarks.collective.ResultRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmarks.jar link-security}: what protection costs. Runs the same collectives four ways in one run:
 * direct links plain and sealed (AES-128-GCM), every pair relayed over plain TCP and over TLS; prints each
 * protected setup's latency and throughput beside its unprotected twin.
 */
@Command(name = "link-security", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cost of sealed direct links and of TLS to the relay: the same ops and sizes over direct "
                + "links (plain, sealed) and relayed pairs (plain TCP, TLS) in one run, with ratios.")
public final class LinkSecurityCommand implements Callable<Integer> {
    @Option(names = "--ranks", split = ",", description = "Rank counts (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(2, 4);

    @Option(names = "--ops", split = ",", description = "Ops (default: ${DEFAULT-VALUE}).")
    List<String> ops = List.of("allreduce", "alltoall");

    @Option(names = "--sizes", split = ",", description = "Bytes per rank, K/M suffixes (default: ${DEFAULT-VALUE}).")
    List<String> sizes = List.of("8", "1M");

    @Option(names = "--iterations", description = "Timed calls per point (default: ${DEFAULT-VALUE}).")
    int iterations = 1000;

    @Option(names = "--warmup", description = "Untimed calls first (default: ${DEFAULT-VALUE}).")
    int warmup = 5000;

    @Option(names = "--out", description = "Also write results.csv and table.txt into this directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<Integer> bytes = sizes.stream().map(Sizes::parse).toList();
        ops.forEach(BenchOp::parse);
        if (iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("--iterations must be >= 1 and --warmup >= 0");
        }
        List<ResultRow> rows = new ArrayList<>();
        for (int n : ranks) {
            if (n < 2 || n > 64) {
                throw new IllegalArgumentException("--ranks values must be 2..64, got " + n);
            }
            for (Setup setup : Setup.values()) {
                System.err.printf("link-security: %d ranks, %s ...%n", n, setup.label);
                JfmiRunner.Plan plan = new JfmiRunner.Plan(ops, bytes, iterations, warmup, true, setup.relay,
                        setup.tls, setup.sealed, -1, List.of("-Xmx1g", "-XX:+UseSerialGC", "-Djfmi.log.level=WARN"),
                        List.of(), 0);
                for (ResultRow r : JfmiRunner.run(plan, n)) {
                    rows.add(new ResultRow(setup.label, r.ranks(), r.op(), r.bytes(), r.iterations(), r.meanUs(),
                            r.p50Us(), r.p99Us()));
                }
            }
        }
        String table = CostTable.render(rows);
        System.out.print(table);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.csv"), ResultRow.csv(rows));
            Files.writeString(out.resolve("table.txt"), table);
            System.err.println("link-security: wrote results.csv and table.txt in " + out);
        }
        return 0;
    }

    /** The four setups, each protected one right after its plain twin. */
    enum Setup {
        DIRECT("direct", false, false, false),
        SEALED("sealed", false, false, true),
        RELAY("relay", true, false, false),
        RELAY_TLS("relay-tls", true, true, false);

        final String label;
        final boolean relay;
        final boolean tls;
        final boolean sealed;

        Setup(String label, boolean relay, boolean tls, boolean sealed) {
            this.label = label;
            this.relay = relay;
            this.tls = tls;
            this.sealed = sealed;
        }
    }
}
