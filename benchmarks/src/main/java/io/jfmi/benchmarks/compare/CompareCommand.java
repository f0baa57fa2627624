package io.jfmi.benchmarks.compare;

import io.jfmi.benchmarks.Charts;
import io.jfmi.benchmarks.HostFacts;
import io.jfmi.benchmarks.Sizes;
import io.jfmi.benchmarks.collective.AlgorithmArgs;
import io.jfmi.benchmarks.collective.BenchOp;
import io.jfmi.benchmarks.collective.JfmiRunner;
import io.jfmi.benchmarks.collective.ResultRow;
import io.jfmi.worker.launch.CoreBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code benchmarks.jar compare}: jfmi, Open MPI over TCP, gloo and the TCP floor in one run, with ratios. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run jfmi and its peers on the same ops, sizes and rank counts in one run and print "
                + "jfmi/peer latency ratios (mean per call). Peers that are not installed are reported as skipped.")
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--ranks", split = ",", description = "Rank counts (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(2, 4, 8);

    @Option(names = "--ops", split = ",", description = "Ops (default: ${DEFAULT-VALUE}).")
    List<String> ops = List.of("barrier", "bcast", "allgather", "reduce", "allreduce", "alltoall");

    @Option(names = "--sizes", split = ",", description = "Bytes per rank, multiples of 8 (default: ${DEFAULT-VALUE}).")
    List<String> sizes = List.of("8", "1K", "64K", "1M");

    @Option(names = "--iterations", description = "Timed calls per point (default: ${DEFAULT-VALUE}).")
    int iterations = 1000;

    @Option(names = "--warmup", description = "Untimed calls first, so the JIT has compiled the path "
            + "(default: ${DEFAULT-VALUE}), for every op and size once before the first is timed and again right "
            + "before its own timed calls; both counts shrink for large messages (at most 256 MiB warm-up and 1 GiB "
            + "timed traffic per rank).")
    int warmup = 20000;

    @Option(names = "--systems", split = ",", description = "Systems to run: jfmi, openmpi, gloo, floor "
            + "(the C loopback floors: an 8 B ping-pong and a 2-rank exchange at every size, every round; "
            + "default: ${DEFAULT-VALUE}).")
    List<String> systems = List.of("jfmi", "openmpi", "gloo", "floor");

    private boolean bindToCores;

    /** The systems that run per rank count, jfmi first (the floors run before them, every round). */
    private static final List<String> SYSTEMS = List.of("jfmi", "openmpi", "gloo");

    @Option(names = "--rounds", description = "Run every system this many times, alternating which goes first, and "
            + "report each system's median and jfmi's ratio to Open MPI per round, mean and p99, with the geometric "
            + "mean of the rounds' ratios, its 95%% interval and a verdict (above, below, noise; from 3 rounds) "
            + "(default: ${DEFAULT-VALUE}).")
    int rounds = 1;

    @Option(names = "--out", description = "Write compare.csv, compare.json and latency-*.png here (with --rounds: "
            + "the median rows, and compare-round-K.csv for each round).")
    Path out;

    @Option(names = "--bind-to", paramLabel = "WHAT", description = "core: every system's rank r runs on one CPU, r "
            + "modulo the CPUs allowed (jfmi and gloo under taskset, Open MPI with --bind-to core); none: the kernel "
            + "places them (default: ${DEFAULT-VALUE}).")
    String bindTo = "none";

    @Option(names = "--work", description = "Where peer programs are built (default: a temporary directory).")
    Path work;

    @Option(names = "--algorithm", paramLabel = "OP=NAME", split = ",", description = "Force algorithms in every "
            + "jfmi rank, e.g. reduce=binary (see worker run --help); the peers keep their own choices.")
    List<String> algorithms = new ArrayList<>();

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "A further option for every jfmi rank's JVM "
            + "(repeatable), e.g. --jvm-opt=-XX:TieredStopAtLevel=1.")
    List<String> jvmOpts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Integer> bytes = sizes.stream().map(Sizes::parse).toList();
        if (bytes.stream().anyMatch(b -> b % 8 != 0)) {
            throw new IllegalArgumentException("sizes must be multiples of 8 bytes");
        }
        ops.forEach(BenchOp::parse); // an unknown op fails here, before any peer is built or rank started
        AlgorithmArgs.check(algorithms);
        List<String> unknown = systems.stream().filter(x -> !x.equals("floor") && !SYSTEMS.contains(x)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--systems: unknown " + unknown + "; known: jfmi, openmpi, gloo, floor");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        bindToCores = CoreBinding.parseBindTo(bindTo);
        PeerRunners peers = new PeerRunners(work != null ? work : Files.createTempDirectory("jfmi-peers"),
                bindToCores ? CoreBinding.ofThisProcess() : null);
        List<List<ResultRow>> byRound = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<ResultRow> rows = new ArrayList<>();
            // The floors run every round too: the machine's own drift moves them as much as the systems.
            if (systems.contains("floor") && !skipped.containsKey("floor")) {
                floors(peers, bytes, rows, skipped);
            }
            // Odd rounds run jfmi first, even rounds last, so neither always meets the machine as the other left it.
            List<String> order = new ArrayList<>(SYSTEMS);
            if (round % 2 == 0) {
                order.remove("jfmi");
                order.add("jfmi");
            }
            for (int n : ranks) {
                for (String system : order) {
                    if (systems.contains(system) && !skipped.containsKey(system)) {
                        runSystem(system, n, bytes, peers, rows, skipped, failures, round);
                    }
                }
            }
            byRound.add(rows);
        }
        List<ResultRow> rows = rounds == 1 ? byRound.get(0) : Rounds.medianRows(byRound);
        // the host's facts head the table: congestion control and the kernel move both systems' small-message tails
        String text = new HostFacts().describe() + table(rows)
                + (rounds == 1 ? "" : Rounds.ratioTable(byRound, "openmpi", Rounds.Metric.MEAN)
                        + Rounds.ratioTable(byRound, "openmpi", Rounds.Metric.P99));
        System.out.print(text);
        skipped.forEach((system, why) -> System.out.println("skipped " + system + ": " + why));
        failures.forEach(f -> System.out.println("FAILED " + f));
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("compare.csv"), ResultRow.csv(rows));
            Files.writeString(out.resolve("compare.json"), ResultRow.json(rows));
            Files.writeString(out.resolve("compare.txt"), text);
            if (rounds > 1) {
                for (int i = 0; i < rounds; i++) {
                    Files.writeString(out.resolve("compare-round-" + (i + 1) + ".csv"), ResultRow.csv(byRound.get(i)));
                }
            }
            Charts.latencyBySize(rows, out);
            System.err.println("compare: wrote compare.csv, compare.json, compare.txt and latency-*.png in " + out);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private void floors(PeerRunners peers, List<Integer> bytes, List<ResultRow> rows, Map<String, String> skipped)
            throws Exception {
        try {
            rows.add(peers.tcpFloor(iterations));
            List<Integer> sized = bytes.stream().filter(b -> b > 0).toList();
            if (!sized.isEmpty()) {
                rows.addAll(peers.tcpExchange(sized, iterations, warmup));
            }
        } catch (PeerRunners.Skipped e) {
            skipped.put("floor", e.getMessage());
        }
    }

    /** The jfmi ranks' JVM options: a bounded serial-GC heap, quiet logs, then the user's. */
    private List<String> jfmiJvmOpts() {
        List<String> opts = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Djfmi.log.level=WARN"));
        opts.addAll(jvmOpts);
        return opts;
    }

    /** One system at one rank count into {@code rows}; a peer that cannot run goes into {@code skipped}. */
    private void runSystem(String system, int n, List<Integer> bytes, PeerRunners peers, List<ResultRow> rows,
            Map<String, String> skipped, List<String> failures, int round) throws Exception {
        String ofRounds = rounds == 1 ? "" : String.format(Locale.ROOT, " (round %d of %d)", round, rounds);
        try {
            switch (system) {
                case "jfmi" -> {
                    System.err.printf("compare: jfmi, %d ranks%s%s ...%n", n, ofRounds,
                            algorithms.isEmpty() ? "" : ", algorithm " + String.join(",", algorithms));
                    try {
                        rows.addAll(JfmiRunner.run(new JfmiRunner.Plan(ops, bytes, iterations, warmup, true, false,
                                false, false, -1, jfmiJvmOpts(), algorithms, 0, List.of(), bindToCores), n));
                    } catch (JfmiRunner.RunFailed e) {
                        // Keep what the other rank counts measured; the run still ends non-zero.
                        failures.add(e.getMessage() + (e.verifyFailed() ? " (a wrong result)" : ""));
                    }
                }
                case "openmpi" -> {
                    System.err.printf("compare: Open MPI, %d ranks%s ...%n", n, ofRounds);
                    rows.addAll(peers.openMpi(n, ops, bytes, iterations, warmup));
                }
                case "gloo" -> {
                    System.err.printf("compare: gloo, %d ranks%s ...%n", n, ofRounds);
                    // gloo has no JIT to warm and is slow per call: fewer calls keep the run bounded
                    rows.addAll(peers.gloo(n, ops, bytes, Math.max(50, iterations / 4), Math.min(warmup, 500)));
                }
                default -> throw new IllegalArgumentException("unknown system " + system);
            }
        } catch (PeerRunners.Skipped e) {
            skipped.put(system, e.getMessage());
        }
    }

    static String table(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder();
        rows.stream().filter(r -> r.system().equals("tcp-floor")).findFirst().ifPresent(f -> sb.append(String.format(
                Locale.ROOT, "loopback floor (C, blocking TCP ping-pong, 8 B): round trip mean %.2f us, p50 %.2f us%n",
                f.meanUs(), f.p50Us())));
        sb.append(String.format(Locale.ROOT, "%5s %-10s %6s %11s %11s %11s %13s %10s %13s%n", "ranks", "op", "bytes",
                "jfmi(us)", "openmpi(us)", "gloo(us)", "jfmi/openmpi", "jfmi/gloo", "cpu j/openmpi"));
        Map<String, Map<String, ResultRow>> points = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            if (!r.system().startsWith("tcp-")) {
                points.computeIfAbsent(r.ranks() + "/" + r.op() + "/" + r.bytes(), k -> new LinkedHashMap<>())
                        .put(r.system(), r);
            }
        }
        for (Map<String, ResultRow> p : points.values()) {
            ResultRow any = p.values().iterator().next();
            Optional<ResultRow> j = Optional.ofNullable(p.get("jfmi"));
            Optional<ResultRow> m = Optional.ofNullable(p.get("openmpi"));
            Optional<ResultRow> g = Optional.ofNullable(p.get("gloo"));
            sb.append(String.format(Locale.ROOT, "%5d %-10s %6s %11s %11s %11s %13s %10s %13s%n", any.ranks(),
                    any.op(), Sizes.format(any.bytes()), us(j), us(m), us(g), ratio(j, m), ratio(j, g),
                    cpuRatio(j, m)));
        }
        sb.append(ExchangeFloors.small(rows)).append(ExchangeFloors.large(rows));
        return sb.toString();
    }

    private static String us(Optional<ResultRow> r) {
        return r.map(x -> String.format(Locale.ROOT, "%.2f", x.meanUs())).orElse("-");
    }

    /** CPU time per call, jfmi over the peer: above 1 with more ranks than cores means more work, not waiting. */
    private static String cpuRatio(Optional<ResultRow> a, Optional<ResultRow> b) {
        if (a.isEmpty() || b.isEmpty() || a.get().cpuUs() <= 0 || b.get().cpuUs() <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", a.get().cpuUs() / b.get().cpuUs());
    }

    private static String ratio(Optional<ResultRow> a, Optional<ResultRow> b) {
        if (a.isEmpty() || b.isEmpty() || b.get().meanUs() <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", a.get().meanUs() / b.get().meanUs());
    }
}
