package io.jfmi.benchmarks.collective;

import io.jfmi.benchmarks.Sizes;
import io.jfmi.worker.launch.CoreBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmarks.jar paired}: two settings of jfmi timed in the same rank JVMs, block by block in turn. Separate
 * runs on a shared 2-core machine differ by up to 1.5x for the same build (benchmarks/RESULTS.md); within one run,
 * alternating blocks, a few percent show.
 */
@Command(name = "paired", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare two settings of jfmi in the same rank JVMs: every rank joins one job as setting A "
                + "(--a-args) and one as setting B (--a-args then --b-args), and each op and size runs on A and on B "
                + "in alternating blocks. Prints mean/p50/p99 latency and CPU time per call (µs) of each setting, "
                + "B/A, and the share of the host's CPU time left idle during each setting's blocks (/proc/stat, "
                + "rank 0's host).",
            "Example: paired --ranks 4 --ops allgather --sizes 8,1M --b-args \"--spin-nanos 1000000\""})
public final class PairedCommand implements Callable<Integer> {
    @Option(names = "--ranks", split = ",", description = "Rank counts (default: ${DEFAULT-VALUE}).")
    List<Integer> ranks = List.of(4);

    @Option(names = "--ops", split = ",", description = "Ops: barrier, bcast, allgather, reduce, allreduce, alltoall "
            + "(default: ${DEFAULT-VALUE}).")
    List<String> ops = List.of("barrier", "allgather", "allreduce", "alltoall");

    @Option(names = "--sizes", split = ",", description = "Bytes per rank, multiples of 8, K/M suffixes allowed "
            + "(default: ${DEFAULT-VALUE}).")
    List<String> sizes = List.of("8", "1M");

    @Option(names = "--calls", description = "Calls per block (default: ${DEFAULT-VALUE}); shrinks for large "
            + "messages (at most 128 MiB per rank and block, never below 5 calls).")
    int calls = 500;

    @Option(names = "--rounds", description = "Blocks of each setting, A then B, repeated (default: "
            + "${DEFAULT-VALUE}).")
    int rounds = 10;

    @Option(names = "--a-args", paramLabel = "OPTIONS", description = "Worker options of setting A (see worker run "
            + "--help), e.g. \"--algorithm alltoall=pairwise\" (default: none, the defaults).")
    String aArgs = "";

    @Option(names = "--b-args", paramLabel = "OPTIONS", required = true, description = "Worker options setting B "
            + "adds to A's (later options win), e.g. \"--spin-nanos 1000000\".")
    String bArgs;

    @Option(names = "--bind-to", paramLabel = "WHAT", description = "core: start rank r's JVM on one CPU, r modulo "
            + "the CPUs allowed (taskset), as collectives --bind-to core; none: the kernel places the ranks "
            + "(default: ${DEFAULT-VALUE}).")
    String bindTo = "none";

    @Option(names = "--out", description = "Also write paired.csv and paired.json into this directory.")
    Path out;

    @Option(names = "--jvm-opt", description = "Extra JVM option for every rank (repeatable; default: "
            + "${DEFAULT-VALUE}).")
    List<String> jvmOpts = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Djfmi.log.level=WARN"));

    @Override
    public Integer call() throws Exception {
        List<Integer> bytes = Sizes.parseCollectiveSizes(sizes);
        ops.forEach(BenchOp::parse);
        boolean bindToCores = CoreBinding.parseBindTo(bindTo);
        if (calls < 1 || rounds < 1) {
            throw new IllegalArgumentException("--calls and --rounds must be >= 1");
        }
        if (bArgs.isBlank()) {
            throw new IllegalArgumentException("--b-args must name at least one worker option");
        }
        List<String> args = new ArrayList<>(List.of("--ops", String.join(",", ops), "--sizes",
                bytes.stream().map(String::valueOf).collect(Collectors.joining(",")), "--calls",
                Integer.toString(calls), "--rounds", Integer.toString(rounds), "--timeout", "120", "--b-args", bArgs));
        if (!aArgs.isBlank()) {
            args.addAll(List.of(aArgs.trim().split("\\s+")));
        }
        List<ResultRow> rows = new ArrayList<>();
        for (int n : ranks) {
            if (n < 2 || n > 64) {
                throw new IllegalArgumentException("--ranks values must be 2..64, got " + n);
            }
            System.err.printf("paired: %d ranks, A = defaults%s, B = A + %s ...%n", n,
                    aArgs.isBlank() ? "" : " + " + aArgs, bArgs);
            try {
                rows.addAll(JfmiRunner.runRanks(PairedBenchRank.class, args, n,
                        JfmiRunner.withDirectMemory(jvmOpts, bytes, n), false, bindToCores));
            } catch (JfmiRunner.RunFailed e) {
                System.err.println("paired: " + e.getMessage());
                return 1;
            }
        }
        System.out.print(table(rows));
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("paired.csv"), ResultRow.csv(rows));
            Files.writeString(out.resolve("paired.json"), ResultRow.json(rows));
            System.err.println("paired: wrote paired.csv and paired.json in " + out);
        }
        return 0;
    }

    /** Both settings' rows, then B over A per point: mean latency, p99 and CPU per call. */
    static String table(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder(ResultRow.table(rows));
        Map<String, Map<String, ResultRow>> points = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            points.computeIfAbsent(r.ranks() + "/" + r.op() + "/" + r.bytes(), k -> new LinkedHashMap<>())
                    .put(r.system(), r);
        }
        sb.append(String.format(Locale.ROOT, "%n%5s %-10s %8s %10s %10s %10s %8s %8s%n", "ranks", "op", "bytes",
                "B/A mean", "B/A p99", "B/A cpu", "A idle%", "B idle%"));
        for (Map<String, ResultRow> p : points.values()) {
            ResultRow a = p.get("A");
            ResultRow b = p.get("B");
            if (a == null || b == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%5d %-10s %8s %10s %10s %10s %8s %8s%n", a.ranks(), a.op(),
                    Sizes.format(a.bytes()), ratio(b.meanUs(), a.meanUs()), ratio(b.p99Us(), a.p99Us()),
                    ratio(b.cpuUs(), a.cpuUs()), a.idleText(), b.idleText()));
        }
        return sb.toString();
    }

    private static String ratio(double b, double a) {
        return a > 0 && b > 0 ? String.format(Locale.ROOT, "%.2fx", b / a) : "-";
    }
}
