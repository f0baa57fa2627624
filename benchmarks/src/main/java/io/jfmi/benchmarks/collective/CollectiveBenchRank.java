package io.jfmi.benchmarks.collective;

import com.google.gson.JsonObject;
import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.FmiException;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.Warmup;
import io.jfmi.worker.cli.JobOptions;
import io.jfmi.worker.json.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * One rank of the collective benchmark (started by {@link CollectivesCommand}). Warms up every op and size once,
 * then for each: verify one call if asked, warm up again, then time each of N calls. Rank 0 prints one RESULT line
 * per op and size with the mean latency averaged over ranks and the p50/p99 of the slowest rank (OSU reports
 * averages; tails matter too).
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
     * The JVM's own addition to that rule: warming up goes on until every rank's compiler threads were busy for at
     * most {@link #JIT_QUIET_NANOS} or {@link #JIT_QUIET_SHARE} of the time, whichever is more, over a window of at
     * least {@link #JIT_QUIET_WINDOW_NANOS}, up to {@link #WARMUP_MAX_NANOS}. The compiler threads of every JVM share
     * the cores with the ranks, and 0.5 s did not see them through (measured: a 4-rank 1 MiB allreduce timed right
     * after the warm-up 3.5-3.8 ms, the same op again in the same JVMs 2.3-2.5 ms). C2 compiles in bursts with gaps
     * between (2 ranks on 2 cores: its threads took 25-45% of a core in each JVM for the first 4 s), so one block of a
     * few ms read as quiet while much was still to come.
     */
    static final long JIT_QUIET_NANOS = 1_000_000;
    static final double JIT_QUIET_SHARE = 0.01;
    static final long JIT_QUIET_WINDOW_NANOS = 250_000_000L;
    static final long WARMUP_MAX_NANOS = 10_000_000_000L;
    /** Tries at the timed calls of one op and size, see {@link #time}. */
    static final int TIMED_ATTEMPTS = 3;

    @Mixin
    JobOptions job;

    private final TimedCalls loop = new TimedCalls();
    private final JitWatch jit = new JitWatch();

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

    @Option(names = "--per-rank", description = "Rank 0 also prints every rank's mean, p50, p99 and CPU per point.")
    boolean perRank;

    @Option(names = "--slow-calls-us", description = "Each rank also lists its timed calls slower than this many "
            + "µs, by index (0: off).")
    long slowCallsMicros;

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
            List<Point> points = points();
            warmUpEveryPoint(comm, points);
            for (Point point : points) {
                BenchOp.Buffers buffers = new BenchOp.Buffers(point.size, comm.size());
                if (verify) {
                    String problem = point.op.verify(comm, buffers);
                    if (problem != null) {
                        System.out.printf("VERIFY FAILED on rank %d: %s (%d bytes, %d ranks)%n", comm.rank(),
                                problem, point.size, comm.size());
                        return 3;
                    }
                }
                int iters = scaled(iterations, 100, point.size, comm.size(), 1L << 30);
                Timed timed = time(comm, point.op, buffers, iters, warmCalls(point, comm.size()));
                report(comm, point.op, point.size, iters, timed);
            }
            return 0;
        } catch (FmiException e) {
            System.out.println("rank " + job.rank + " failed: " + e.getMessage());
            return 2;
        }
    }

    /** One op at one size, in the order asked for (a barrier has one size, 0). */
    private record Point(BenchOp op, int size) {
    }

    private List<Point> points() {
        List<Point> points = new ArrayList<>();
        for (String name : ops) {
            BenchOp op = BenchOp.parse(name);
            for (int size : op == BenchOp.BARRIER ? List.of(0) : sizes) {
                points.add(new Point(op, size));
            }
        }
        return points;
    }

    /**
     * Same rule in every benchmark program: before the first point is timed, every point gets its warm-up once, in
     * order; then each gets it again right before its timed calls. Without this pass a point's figure depended on
     * where it stood in the list: a job's first op met the JIT and fresh sockets (measured: the same 8-rank 1 MiB
     * allgather three times in one job, jfmi 10.4 / 9.2 / 9.0 ms per call, Open MPI 8.8 / 8.2 / 8.3 ms).
     */
    private void warmUpEveryPoint(Communicator comm, List<Point> points) {
        if (warmup == 0) {
            return; // a cold run: its buffers would only be allocated and dropped
        }
        for (Point point : points) {
            warmUp(comm, point.op, new BenchOp.Buffers(point.size, comm.size()), warmCalls(point, comm.size()));
        }
    }

    private int warmCalls(Point point, int ranks) {
        return scaled(warmup, 200, point.size, ranks, 1L << 28);
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

    /**
     * Warms up, then times {@code iters} calls; after a warm-up, timed calls during which any rank's JIT compiled for
     * more than {@link #jitQuietNanos} of their time are run again, up to {@link #TIMED_ATTEMPTS} times in all. A
     * quiet JIT at the end of the warm-up does not mean a finished one: a large message's few hundred calls take the
     * hot methods past the C2 thresholds during the timed calls (measured: 10-60 ms of compiler CPU in the 250-360 ms
     * of a 2-rank 1 MiB allgather's timed calls, after 0.5-2 s of warm-up). A cold run (no warm-up) keeps its one try.
     */
    private Timed time(Communicator comm, BenchOp op, BenchOp.Buffers buffers, int iters, int warm) {
        ProcessCpu.refreshThreads();
        warmUp(comm, op, buffers, warm);
        for (int attempt = 1; ; attempt++) {
            Timed timed = timeOnce(comm, op, buffers, iters);
            if (warm == 0 || attempt == TIMED_ATTEMPTS) {
                return timed;
            }
            long[] busy = {timed.jitNanos() > jitQuietNanos(timed.wallNanos()) ? 1 : 0};
            long[] anyBusy = {0};
            comm.allreduce(DataBuffer.of(busy), DataBuffer.of(anyBusy), ReduceOp.MAX);
            if (anyBusy[0] == 0) {
                return timed;
            }
            if (comm.rank() == 0) {
                System.out.printf("collectives: %s %d B: a JIT compiled during the timed calls (%.1f ms on rank 0);"
                        + " timing them again (%d of %d)%n", op.name().toLowerCase(Locale.ROOT), buffers.bytes,
                        timed.jitNanos() / 1e6, attempt + 1, TIMED_ATTEMPTS);
            }
        }
    }

    private Timed timeOnce(Communicator comm, BenchOp op, BenchOp.Buffers buffers, int iters) {
        Histogram h = TimedCalls.newHistogram();
        HostIdle.Window idle = comm.rank() == 0 ? new HostIdle.Window() : null;
        if (idle != null) {
            idle.start();
        }
        long cpu0 = ProcessCpu.nanos(); // before the barrier that starts the block on every rank together
        jit.busyNanosSinceLastLook();
        long t0 = System.nanoTime();
        loop.run(comm, op, buffers, iters, h);
        long wall = System.nanoTime() - t0;
        long waited = loop.waitedNanos();
        long cpu = ProcessCpu.nanos() - cpu0;
        if (idle != null) {
            idle.stop();
        }
        if (slowCallsMicros > 0) {
            String slow = SlowCalls.describe(loop.samples(), iters, slowCallsMicros * 1000, String.format(Locale.ROOT,
                    "%s %d B", op.name().toLowerCase(Locale.ROOT), buffers.bytes), comm.rank());
            if (slow != null) {
                System.out.println(slow);
            }
        }
        return new Timed(h, cpu0 < 0 ? 0 : (double) cpu / iters, waited < 0 ? -1 : (double) waited / iters, wall,
                jit.busyNanosSinceLastLook(), idle == null ? null : idle.percent());
    }

    /**
     * Latencies of the timed calls, the process's CPU time per call in ns (0 if the JVM cannot tell), the calling
     * thread's wait for a CPU per call in ns (-1 if unknown), the calls' wall time and the JIT's CPU time meanwhile
     * (-1 if unknown), ns, and the host's idle share meanwhile, percent (rank 0 only; null elsewhere or when unknown).
     */
    private record Timed(Histogram latency, double cpuNanosPerCall, double runQueueNanosPerCall, long wallNanos,
            long jitNanos, Double idlePct) {
    }

    /**
     * At least {@code warm} calls and {@link #WARMUP_MIN_NANOS}, and on until no rank's JIT is compiling (see
     * {@link #JIT_QUIET_NANOS}), in blocks of a tenth of {@code warm}; after each block the ranks agree (the maximum
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
        long start = System.nanoTime();
        int block = Math.max(1, warm / 10);
        long[] more = {1};
        long[] anyMore = {1};
        jit.busyNanosSinceLastLook();
        long windowStart = start;
        long windowJit = 0;
        boolean jitQuiet = false;
        for (int calls = 0; anyMore[0] != 0; calls += block) {
            loop.run(comm, op, buffers, block, TimedCalls.newHistogram());
            ProcessCpu.nanos(); // compiled here, not in the timed calls (see ProcessCpu)
            long now = System.nanoTime();
            windowJit += jit.busyNanosSinceLastLook();
            if (now - windowStart >= JIT_QUIET_WINDOW_NANOS) {
                jitQuiet = windowJit <= jitQuietNanos(now - windowStart);
                ProcessCpu.refreshThreads();
                jit.busyNanosSinceLastLook(); // a new baseline over the threads listed now
                windowStart = now;
                windowJit = 0;
            }
            long elapsed = now - start;
            more[0] = calls + block < warm || elapsed < WARMUP_MIN_NANOS || (!jitQuiet && elapsed < WARMUP_MAX_NANOS)
                    ? 1 : 0;
            comm.allreduce(DataBuffer.of(more), DataBuffer.of(anyMore), ReduceOp.MAX);
        }
    }

    /** Compiler CPU over a block of {@code blockNanos} that still counts as a quiet JIT. */
    static long jitQuietNanos(long blockNanos) {
        return Math.max(JIT_QUIET_NANOS, (long) (blockNanos * JIT_QUIET_SHARE));
    }

    private void report(Communicator comm, BenchOp op, int size, int iters, Timed timed) {
        List<PointGather.RankPoint> parts = PointGather.everyRank(comm, "jfmi", op, size, iters, timed.latency(),
                timed.cpuNanosPerCall(), timed.runQueueNanosPerCall());
        if (parts == null) {
            return;
        }
        if (perRank) {
            PointGather.describe(parts).forEach(System.out::println);
        }
        ResultRow row = ResultRow.combine(PointGather.rows(parts));
        JsonObject line = JsonCodec.COMPACT.toJsonTree(row.withIdlePct(timed.idlePct())).getAsJsonObject();
        line.addProperty("verified", verify);
        System.out.println(RESULT_PREFIX + JsonCodec.COMPACT.toJson(line));
        System.out.flush();
    }
}
