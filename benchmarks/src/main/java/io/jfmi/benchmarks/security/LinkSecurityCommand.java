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
 * {@code benchmarks.jar link-security}: what protection and healing cost. Runs the same collectives several ways in
 * one run: direct links plain, healing (copies kept until acknowledged) and sealed (AES-128-GCM), every pair relayed
 * over plain TCP and over TLS; prints each setup's latency and throughput beside its plain twin.
 */
@Command(name = "link-security", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cost of healing and sealed direct links and of TLS to the relay: the same ops and sizes over "
                + "direct links (plain, healing, sealed) and relayed pairs (plain TCP, TLS) in one run, with ratios.")
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

    @Option(names = "--setups", split = ",", description = "Setups to run, in this order: direct, healing (every "
            + "direct link keeps copies until acknowledged), sealed, relay, relay-tls (default: ${DEFAULT-VALUE}).")
    List<String> setups = List.of("direct", "healing", "sealed", "relay", "relay-tls");

    @Option(names = "--repeat", description = "Run the chosen setups this many times in turn, so machine drift "
            + "shows as spread between rounds (default: ${DEFAULT-VALUE}).")
    int repeat = 1;

    @Option(names = "--out", description = "Also write results.csv and table.txt into this directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<Integer> bytes = sizes.stream().map(Sizes::parse).toList();
        ops.forEach(BenchOp::parse);
        if (iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("--iterations must be >= 1 and --warmup >= 0");
        }
        List<Setup> chosen = setups.stream().map(Setup::parse).toList();
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        }
        for (int n : ranks) {
            if (n < 2 || n > 64) {
                throw new IllegalArgumentException("--ranks values must be 2..64, got " + n);
            }
        }
        List<ResultRow> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (int round = 1; round <= repeat; round++) {
            List<ResultRow> roundRows = new ArrayList<>();
            for (int n : ranks) {
                for (Setup setup : chosen) {
                    System.err.printf("link-security: round %d, %d ranks, %s ...%n", round, n, setup.label);
                    roundRows.addAll(run(setup, n, bytes));
                }
            }
            rows.addAll(roundRows);
            table.append(repeat > 1 ? "round " + round + "\n" : "").append(CostTable.render(roundRows));
        }
        System.out.print(table);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.csv"), ResultRow.csv(rows));
            Files.writeString(out.resolve("table.txt"), table.toString());
            System.err.println("link-security: wrote results.csv and table.txt in " + out);
        }
        return 0;
    }

    private List<ResultRow> run(Setup setup, int n, List<Integer> bytes) throws Exception {
        JfmiRunner.Plan plan = new JfmiRunner.Plan(ops, bytes, iterations, warmup, true, setup.relay, setup.tls,
                setup.sealed, -1, List.of("-Xmx1g", "-XX:+UseSerialGC", "-Djfmi.log.level=WARN"), List.of(), 0,
                List.of("--heal-links", setup.healing ? "all" : "off"), false);
        List<ResultRow> rows = new ArrayList<>();
        for (ResultRow r : JfmiRunner.run(plan, n)) {
            rows.add(new ResultRow(setup.label, r.ranks(), r.op(), r.bytes(), r.iterations(), r.meanUs(), r.p50Us(),
                    r.p99Us()));
        }
        return rows;
    }

    /** The setups, each costed one right after its plain twin (healing and sealed against direct). */
    enum Setup {
        DIRECT("direct", false, false, false, false),
        HEALING("healing", false, false, false, true),
        SEALED("sealed", false, false, true, false),
        RELAY("relay", true, false, false, false),
        RELAY_TLS("relay-tls", true, true, false, false);

        final String label;
        final boolean relay;
        final boolean tls;
        final boolean sealed;
        final boolean healing;

        Setup(String label, boolean relay, boolean tls, boolean sealed, boolean healing) {
            this.label = label;
            this.relay = relay;
            this.tls = tls;
            this.sealed = sealed;
            this.healing = healing;
        }

        static Setup parse(String label) {
            for (Setup s : values()) {
                if (s.label.equals(label.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--setups: unknown setup '" + label + "' (direct, healing, sealed, "
                    + "relay, relay-tls)");
        }
    }
}
