package io.jfmi.benchmarks.collective;

import com.google.gson.JsonObject;
import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.FmiException;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.Warmup;
import io.jfmi.worker.cli.JobOptions;
import io.jfmi.worker.json.JsonCodec;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * One rank of the collective benchmark (started by {@link CollectivesCommand}). For each op and size: verify one
 * call if asked, warm up, then time each of N calls. Rank 0 prints one RESULT line per op and size with the mean
 * latency averaged over ranks and the p50/p99 of the slowest rank (OSU reports averages; tails matter too).
 */
@Command(name = "collective-bench-rank", mixinStandardHelpOptions = true)
public final class CollectiveBenchRank implements Callable<Integer> {
    public static final String RESULT_PREFIX = "RESULT ";
    /**
     * Same rule in every benchmark program: a warm-up (when asked for) lasts at least this long, so large messages,
     * whose call count the byte budget cuts to a few hundred, are not timed while the JIT still compiles the path
     * (measured: the first large point of a fresh JVM had a p99 of 3-4 ms against 1.1-1.3 ms once warm).
     */
    static final long WARMUP_MIN_NANOS = 500_000_000L;
    /**
     * The JVM's own addition to that rule: warming up goes on while any rank's JIT compiled for more than
     * {@link #JIT_QUIET_MILLIS} during the last block, up to {@link #WARMUP_MAX_NANOS}. With more ranks than cores the
     * compiler threads of every JVM share the cores with the ranks, and 0.5 s did not see them through (measured: a
     * 4-rank 1 MiB allreduce timed right after the warm-up 3.5-3.8 ms, the same op again in the same JVMs 2.3-2.5 ms).
     */
    static final long JIT_QUIET_MILLIS = 1;
    static final long WARMUP_MAX_NANOS = 10_000_000_000L;

    @Mixin
    JobOptions job;

    private final TimedCalls loop = new TimedCalls();

    @Option(names = "--ops", split = ",", required = true)
    List<String> ops;

    @Option(names = "--sizes", split = ",", required = true)
    List<Integer> sizes;

    @Option(names = "--iterations", required = true)
    int iterations;

    @Option(names = "--warmup", required = true)
    int warmup;

    @Option(names = "--prime", description = "Rounds of in-process warm-up (io.jfmi.core.Warmup) before joining.")
    int primeRounds;

    @Option(names = "--verify")
    boolean verify;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectiveBenchRank()).execute(args));
    }

    @Override
    public Integer call() {
        if (primeRounds > 0) {
            Warmup.Report primed = Warmup.run(primeRounds, Duration.ofSeconds(30));
            System.err.printf("rank %d primed: %d rounds in %d ms%n", job.rank, primed.rounds(), primed.millis());
        }
        ProcessCpu.nanos(); // loads its classes before the job starts
        try (Communicator comm = Communicator.connect(job.toCommunicatorOptions())) {
            for (String name : ops) {
                BenchOp op = BenchOp.parse(name);
                for (int size : op == BenchOp.BARRIER ? List.of(0) : sizes) {
                    BenchOp.Buffers buffers = new BenchOp.Buffers(size, comm.size());
                    if (verify) {
                        String problem = op.verify(comm, buffers);
                        if (problem != null) {
                            System.out.printf("VERIFY FAILED on rank %d: %s (%d bytes, %d ranks)%n", comm.rank(),
                                    problem, size, comm.size());
                            return 3;
                        }
                    }
                    int iters = scaled(iterations, 100, size, comm.size(), 1L << 30);
                    int warm = scaled(warmup, 200, size, comm.size(), 1L << 28);
                    report(comm, op, size, iters, time(comm, op, buffers, iters, warm));
                }
            }
            return 0;
        } catch (FmiException e) {
            System.out.println("rank " + job.rank + " failed: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Same rule in every benchmark program (osu_coll.c, gloo_coll.py): fewer calls for large messages, capped by
     * the byte budget but never below {@code floor}, and never more than requested (so --warmup 0 means none).
     */
    static int scaled(int requested, int floor, long bytes, int n, long budget) {
        if (bytes <= 0) {
            return requested;
        }
        return (int) Math.min(requested, Math.max(floor, budget / (bytes * n)));
    }

    private Timed time(Communicator comm, BenchOp op, BenchOp.Buffers buffers, int iters, int warm) {
        warmUp(comm, op, buffers, warm);
        Histogram h = TimedCalls.newHistogram();
        long cpu0 = ProcessCpu.nanos(); // before the barrier: every rank starts its timed calls together
        comm.barrier();
        loop.run(comm, op, buffers, iters, h);
        long cpu = ProcessCpu.nanos() - cpu0;
        return new Timed(h, cpu0 < 0 ? 0 : (double) cpu / iters);
    }

    /** Latencies of the timed calls, and the process's CPU time per call in ns (0 if the JVM cannot tell). */
    private record Timed(Histogram latency, double cpuNanosPerCall) {
    }

    /**
     * At least {@code warm} calls and {@link #WARMUP_MIN_NANOS}, and on until no rank's JIT is compiling (see
     * {@link #JIT_QUIET_MILLIS}), in blocks of a tenth of {@code warm}; after each block the ranks agree (the maximum
     * of their wishes) whether to go on, so every rank makes the same calls. Small blocks from the start matter on
     * the JVM: the agreement takes code paths the op does not, and one first seen after the JIT has compiled the
     * op's path deoptimizes it, which then recompiles during the timed calls (measured: a first-op barrier p99 of
     * 2.7-8 ms at 4 and 8 ranks against 0.4-0.7 ms).
     */
    private void warmUp(Communicator comm, BenchOp op, BenchOp.Buffers buffers, int warm) {
        if (warm == 0) {
            return;
        }
        comm.barrier();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean canWatchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        int block = Math.max(1, warm / 10);
        long[] more = {1};
        long[] anyMore = {1};
        long compiled = canWatchJit ? jit.getTotalCompilationTime() : 0;
        Histogram dropped = TimedCalls.newHistogram();
        for (int calls = 0; anyMore[0] != 0; calls += block) {
            loop.run(comm, op, buffers, block, dropped);
            ProcessCpu.nanos(); // compiled here, not in the timed calls (see ProcessCpu)
            long elapsed = System.nanoTime() - start;
            long compiledNow = canWatchJit ? jit.getTotalCompilationTime() : 0;
            boolean jitBusy = compiledNow - compiled > JIT_QUIET_MILLIS;
            compiled = compiledNow;
            more[0] = calls + block < warm || elapsed < WARMUP_MIN_NANOS || (jitBusy && elapsed < WARMUP_MAX_NANOS)
                    ? 1 : 0;
            comm.allreduce(DataBuffer.of(more), DataBuffer.of(anyMore), ReduceOp.MAX);
        }
    }

    private void report(Communicator comm, BenchOp op, int size, int iters, Timed timed) {
        ResultRow row = PointGather.toRankZero(comm, "jfmi", op, size, iters, timed.latency(),
                timed.cpuNanosPerCall());
        if (row == null) {
            return;
        }
        JsonObject line = JsonCodec.COMPACT.toJsonTree(row).getAsJsonObject();
        line.addProperty("verified", verify);
        System.out.println(RESULT_PREFIX + JsonCodec.COMPACT.toJson(line));
        System.out.flush();
    }
}
