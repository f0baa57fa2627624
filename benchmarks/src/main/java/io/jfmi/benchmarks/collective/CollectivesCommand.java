package io.jfmi.benchmarks.collective;

import io.jfmi.benchmarks.Charts;
import io.jfmi.benchmarks.HostFacts;
import io.jfmi.benchmarks.Sizes;
import io.jfmi.worker.launch.CoreBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code benchmarks.jar collectives}: OSU-style latency of jfmi collectives across rank JVMs on this host. */
@Command(name = "collectives", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time jfmi collectives: for each rank count, start a rendezvous server and one JVM per rank, "
                + "time every op at every size, print mean/p50/p99 latency in microseconds.")
public final class CollectivesCommand implements Callable<Integer> {
    @Option(names = "--ranks", split = ",", description = "Rank counts (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(2, 4, 8);

    @Option(names = "--ops", split = ",", description = "Ops: barrier, bcast, allgather, reduce, allreduce, alltoall "
            + "(default: ${DEFAULT-VALUE}).")
    List<String> ops = List.of("barrier", "allgather", "reduce");

    @Option(names = "--sizes", split = ",", description = "Bytes per rank, multiples of 8, K/M suffixes allowed "
            + "(default: ${DEFAULT-VALUE}).")
    List<String> sizes = List.of("8", "1K", "64K");

    @Option(names = "--iterations", description = "Timed calls per op and size (default: ${DEFAULT-VALUE}).")
    int iterations = 1000;

    @Option(names = "--warmup", description = "Untimed calls first, so the JIT has compiled the path "
            + "(default: ${DEFAULT-VALUE}), for every op and size once before the first is timed and again right "
            + "before its own timed calls; both counts shrink for large messages (at most 256 MiB warm-up and 1 GiB "
            + "timed traffic per rank).")
    int warmup = 20000;

    @Option(names = "--verify", description = "Check one call of every op and size against independently "
            + "computed values; exit 3 on a wrong result.")
    boolean verify;

    @Option(names = "--per-rank", description = "Also print every rank's mean, p50, p99 and CPU per call for each "
            + "point (the table averages the means over ranks and shows the slowest rank's p50 and p99), and on "
            + "Linux its time per call waiting for a CPU (runnable, not running).")
    boolean perRank;

    @Option(names = "--slow-calls-us", paramLabel = "US", description = "Each rank also lists, per point, its timed "
            + "calls slower than US µs by their index in the block (where a tail sits: first calls, JIT events); "
            + "0, the default, lists none.")
    long slowCallsMicros;

    @Option(names = "--force-relay", description = "Relay every pair through the server.")
    boolean forceRelay;

    @Option(names = "--tls", description = "The server speaks TLS (a self-signed certificate the ranks trust); "
            + "with --force-relay every byte crosses TLS.")
    boolean tls;

    @Option(names = "--seal-links", description = "Ranks seal their direct links (AES-128-GCM).")
    boolean sealLinks;

    @Option(names = "--second-connection", paramLabel = "MODE", description = "Passed to every rank: auto, on or off "
            + "(see worker run --help; default: ${DEFAULT-VALUE}).")
    String secondConnection = "auto";

    @Option(names = "--spin-nanos", description = "Poll budget of every rank before it parks (busy for 10 µs, "
            + "then yielding); -1 = automatic: 1 ms, or 250 µs all yielding when ranks outnumber cores (default: "
            + "${DEFAULT-VALUE}).")
    long spinNanos = -1;

    @Option(names = "--busy-nanos", description = "Busy part of that poll, before it starts yielding; -1 = automatic: "
            + "10 µs, 0 when ranks outnumber cores (default: ${DEFAULT-VALUE}).")
    long busyNanos = -1;

    @Option(names = "--prime", paramLabel = "ROUNDS", description = "Each rank first runs this many rounds of the "
            + "in-process warm-up (io.jfmi.core.Warmup) before joining, as a Lambda Init can (default: 0, none).")
    int primeRounds;

    @Option(names = "--algorithm", paramLabel = "OP=NAME", split = ",", description = "Force algorithms in every "
            + "rank, e.g. allreduce=ring (see worker run --help).")
    List<String> algorithms = new ArrayList<>();

    @Option(names = "--bind-to", paramLabel = "WHAT", description = "core: start rank r's JVM on one CPU, r modulo "
            + "the CPUs allowed (taskset), as mpirun --bind-to core; none: the kernel places the ranks (default: "
            + "${DEFAULT-VALUE}).")
    String bindTo = "none";

    @Option(names = "--out", description = "Also write results.csv and results.json into this directory.")
    Path out;

    @Option(names = "--jvm-opt", description = "Extra JVM option for every rank (repeatable; default: "
            + "${DEFAULT-VALUE}).")
    List<String> jvmOpts = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djfmi.log.level=WARN"));

    @Override
    public Integer call() throws Exception {
        List<Integer> bytes = Sizes.parseCollectiveSizes(sizes);
        ops.forEach(BenchOp::parse);
        AlgorithmArgs.check(algorithms);
        if (iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("--iterations must be >= 1 and --warmup >= 0");
        }
        if (slowCallsMicros < 0) {
            throw new IllegalArgumentException("--slow-calls-us must be 0 (off) or more, got " + slowCallsMicros);
        }
        if (spinNanos < -1 || busyNanos < -1) {
            throw new IllegalArgumentException("--spin-nanos and --busy-nanos must be >= 0, or -1 for automatic; got "
                    + spinNanos + " and " + busyNanos);
        }
        JfmiRunner.Plan plan = new JfmiRunner.Plan(ops, bytes, iterations, warmup, verify, forceRelay, tls, sealLinks,
                spinNanos,
                jvmOpts, algorithms, primeRounds,
                rankArgs(),
                CoreBinding.parseBindTo(bindTo));
        List<ResultRow> rows = new ArrayList<>();
        for (int n : ranks) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("--ranks values must be 1..64, got " + n);
            }
            System.err.printf("collectives: %d ranks ...%n", n);
            try {
                rows.addAll(JfmiRunner.run(plan, n));
            } catch (JfmiRunner.RunFailed e) {
                System.err.println("collectives: " + e.getMessage());
                return e.verifyFailed() ? 3 : 1;
            }
        }
        System.out.print(new HostFacts().describe() + ResultRow.table(rows));
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.csv"), ResultRow.csv(rows));
            Files.writeString(out.resolve("results.json"), ResultRow.json(rows));
            Charts.latencyBySize(rows, out);
            System.err.println("collectives: wrote results.csv, results.json and latency-*.png in " + out);
        }
        return 0;
    }

    private List<String> rankArgs() {
        List<String> args = new ArrayList<>(List.of("--second-connection", secondConnection, "--busy-nanos",
                Long.toString(busyNanos)));
        if (perRank) {
            args.add("--per-rank");
        }
        if (slowCallsMicros > 0) {
            args.addAll(List.of("--slow-calls-us", Long.toString(slowCallsMicros)));
        }
        return args;
    }
}
