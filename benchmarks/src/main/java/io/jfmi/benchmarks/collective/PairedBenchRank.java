package io.jfmi.benchmarks.collective;

import com.google.gson.JsonObject;
import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.FmiException;
import io.jfmi.core.ReduceOp;
import io.jfmi.worker.cli.JobOptions;
import io.jfmi.worker.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * One rank of the paired benchmark (started by {@link PairedCommand}): joins the job twice, as setting A (its own
 * options) and as setting B (the same options and {@code --b-args}, in a job named after A's with "-b"), then times
 * every op and size on A and on B in alternating blocks. Both settings share the process, its JIT and the minute
 * of the machine, so their difference is measured, not the machine's drift between two runs.
 */
@Command(name = "paired-bench-rank", mixinStandardHelpOptions = true)
public final class PairedBenchRank implements Callable<Integer> {
    @Mixin
    JobOptions job;

    private final TimedCalls loop = new TimedCalls();

    @Option(names = "--ops", split = ",", required = true)
    List<String> ops;

    @Option(names = "--sizes", split = ",", required = true)
    List<Integer> sizes;

    @Option(names = "--calls", required = true, description = "Calls per block (shrunk for large messages).")
    int calls;

    @Option(names = "--rounds", required = true, description = "Blocks of each setting, alternating.")
    int rounds;

    @Option(names = "--b-args", required = true, description = "Worker options setting B adds to A's.")
    String bArgs;

    private String[] ownArgs;

    public static void main(String[] args) {
        PairedBenchRank rank = new PairedBenchRank();
        rank.ownArgs = args;
        // --b-args may be a single worker flag (e.g. --no-punch), which picocli would otherwise read as that flag.
        System.exit(new CommandLine(rank).setAllowOptionsAsOptionParameters(true).execute(args));
    }

    /** Only the job options of a rank's command line; the benchmark's own are left unmatched. */
    @Command(name = "setting-b")
    static final class SettingB {
        @Mixin
        JobOptions job;

        @Unmatched
        List<String> rest;
    }

    /** Setting B's job options: this rank's command line with {@code --b-args} appended (later options win). */
    static JobOptions settingB(String[] rankArgs, String bArgs) {
        List<String> args = new ArrayList<>(List.of(rankArgs));
        args.addAll(List.of(bArgs.trim().split("\\s+")));
        SettingB b = new SettingB();
        new CommandLine(b).setUnmatchedArgumentsAllowed(true).setOverwrittenOptionsAllowed(true)
                .parseArgs(args.toArray(String[]::new));
        b.job.job = b.job.job + "-b";
        return b.job;
    }

    @Override
    public Integer call() {
        JobOptions b = settingB(ownArgs, bArgs);
        ProcessCpu.nanos(); // loads its classes before the job starts
        try (Communicator onA = Communicator.connect(job.toCommunicatorOptions());
                Communicator onB = Communicator.connect(b.toCommunicatorOptions())) {
            Communicator[] settings = {onA, onB};
            for (String name : ops) {
                BenchOp op = BenchOp.parse(name);
                for (int size : op == BenchOp.BARRIER ? List.of(0) : sizes) {
                    BenchOp.Buffers buffers = new BenchOp.Buffers(size, onA.size());
                    int block = CollectiveBenchRank.scaled(calls, 5, size, onA.size(), 1L << 27);
                    warmUp(settings, op, buffers, block);
                    Histogram[] latency = {TimedCalls.newHistogram(), TimedCalls.newHistogram()};
                    long[] cpu = new long[2];
                    HostIdle.Window[] idle = {new HostIdle.Window(), new HostIdle.Window()};
                    for (int round = 0; round < rounds; round++) {
                        for (int s = 0; s < 2; s++) {
                            cpu[s] += timeBlock(settings[s], op, buffers, block, latency[s], idle[s]);
                        }
                    }
                    long timed = (long) rounds * block;
                    report(onA, "A", op, size, timed, latency[0], cpu[0], idle[0]);
                    report(onA, "B", op, size, timed, latency[1], cpu[1], idle[1]);
                }
            }
            return 0;
        } catch (FmiException e) {
            System.out.println("rank " + job.rank + " failed: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Alternating blocks on both settings for at least {@link CollectiveBenchRank#WARMUP_MIN_NANOS}, and three
     * blocks each at least; the ranks agree on A when to stop, so every rank makes the same calls.
     */
    private void warmUp(Communicator[] settings, BenchOp op, BenchOp.Buffers buffers, int block) {
        ProcessCpu.refreshThreads();
        long start = System.nanoTime();
        long[] more = {1};
        long[] anyMore = {1};
        for (int blocks = 1; anyMore[0] != 0; blocks++) {
            for (Communicator c : settings) {
                loop.run(c, op, buffers, block, TimedCalls.newHistogram());
            }
            ProcessCpu.nanos(); // compiled here, not in the timed calls (see ProcessCpu)
            more[0] = blocks < 3 || System.nanoTime() - start < CollectiveBenchRank.WARMUP_MIN_NANOS ? 1 : 0;
            settings[0].allreduce(DataBuffer.of(more), DataBuffer.of(anyMore), ReduceOp.MAX);
        }
    }

    /**
     * Times one block of calls into {@code latency}; returns the process's CPU time over the block, ns. Rank 0 adds
     * the host's ticks over the block to {@code idle}.
     */
    private long timeBlock(Communicator c, BenchOp op, BenchOp.Buffers buffers, int block, Histogram latency,
            HostIdle.Window idle) {
        boolean rankZero = c.rank() == 0;
        if (rankZero) {
            idle.start();
        }
        long cpu0 = ProcessCpu.nanos(); // before the barrier that starts the block on every rank together
        loop.run(c, op, buffers, block, latency);
        long cpu = ProcessCpu.nanos() - cpu0;
        if (rankZero) {
            idle.stop();
        }
        return cpu;
    }

    /**
     * Rank 0 prints the point for one setting: mean and CPU averaged over ranks, p50 and p99 of the slowest, and the
     * host's idle share over the setting's blocks.
     */
    private static void report(Communicator c, String setting, BenchOp op, int size, long timed, Histogram h,
            long cpuNanos, HostIdle.Window idle) {
        ResultRow row = PointGather.toRankZero(c, setting, op, size, (int) timed, h,
                cpuNanos < 0 ? 0 : (double) cpuNanos / timed);
        if (row == null) {
            return;
        }
        row = row.withIdlePct(idle.percent());
        JsonObject line = JsonCodec.COMPACT.toJsonTree(row).getAsJsonObject();
        System.out.println(CollectiveBenchRank.RESULT_PREFIX + JsonCodec.COMPACT.toJson(line));
        System.out.flush();
    }
}
