package io.jfmi.benchmarks.collective;

import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.FmiException;
import io.jfmi.core.ReduceOp;
import io.jfmi.worker.cli.JobOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One rank of {@code healing-cost}: joins the job twice, once with plain direct links and once with healing ones
 * (copies kept until acknowledged), and times the same op in alternating blocks on the two, so that the machine's
 * drift (large here, minute to minute) falls on both alike. Rank 0 prints one RESULT line per op and size.
 */
@Command(name = "healing-cost-rank", mixinStandardHelpOptions = true)
public final class HealingCostRank implements Callable<Integer> {
    public static final String RESULT_PREFIX = "RESULT ";

    @Mixin
    JobOptions job;

    @Option(names = "--ops", split = ",", required = true)
    List<String> ops;

    @Option(names = "--sizes", split = ",", required = true)
    List<Integer> sizes;

    @Option(names = "--blocks", required = true)
    int blocks;

    @Option(names = "--calls", required = true, description = "Timed calls per block (fewer for large messages).")
    int calls;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HealingCostRank()).execute(args));
    }

    @Override
    public Integer call() {
        String base = job.job;
        job.job = base + "-plain";
        job.healLinks = "off";
        try (Communicator plain = Communicator.connect(job.toCommunicatorOptions())) {
            job.job = base + "-healing";
            job.healLinks = "all";
            try (Communicator healing = Communicator.connect(job.toCommunicatorOptions())) {
                for (String name : ops) {
                    BenchOp op = BenchOp.parse(name);
                    for (int size : op == BenchOp.BARRIER ? List.of(0) : sizes) {
                        measure(op, size, plain, healing);
                    }
                }
            }
            return 0;
        } catch (FmiException e) {
            System.out.println("rank " + job.rank + " failed: " + e.getMessage());
            return 2;
        }
    }

    private void measure(BenchOp op, int size, Communicator plain, Communicator healing) {
        BenchOp.Buffers plainBuffers = new BenchOp.Buffers(size, plain.size());
        BenchOp.Buffers healingBuffers = new BenchOp.Buffers(size, plain.size());
        int n = CollectiveBenchRank.scaled(calls, 20, size, plain.size(), 1L << 28);
        Histogram plainHist = new Histogram(3_600_000_000_000L, 3);
        Histogram healingHist = new Histogram(3_600_000_000_000L, 3);
        run(op, plain, plainBuffers, n, null);
        run(op, healing, healingBuffers, n, null);
        double[] ratios = new double[blocks];
        double[] sums = new double[2];
        for (int b = 0; b < blocks; b++) {
            boolean plainFirst = b % 2 == 0;
            long first = run(op, plainFirst ? plain : healing, plainFirst ? plainBuffers : healingBuffers, n,
                    plainFirst ? plainHist : healingHist);
            long second = run(op, plainFirst ? healing : plain, plainFirst ? healingBuffers : plainBuffers, n,
                    plainFirst ? healingHist : plainHist);
            long plainNanos = plainFirst ? first : second;
            long healingNanos = plainFirst ? second : first;
            ratios[b] = (double) healingNanos / plainNanos;
            sums[0] += plainNanos;
            sums[1] += healingNanos;
        }
        Arrays.sort(ratios);
        double[] mine = {sums[0] / ((double) blocks * n), sums[1] / ((double) blocks * n), ratios[blocks / 2],
            plainHist.getValueAtPercentile(99), healingHist.getValueAtPercentile(99)};
        double[] all = new double[mine.length * plain.size()];
        plain.allgather(DataBuffer.of(mine), DataBuffer.of(all));
        if (plain.rank() != 0) {
            return;
        }
        double[] mean = new double[mine.length];
        for (int r = 0; r < plain.size(); r++) {
            for (int i = 0; i < mine.length; i++) {
                mean[i] += all[r * mine.length + i] / plain.size();
            }
        }
        System.out.printf(Locale.ROOT, "%s%d %s %d %d %.3f %.3f %.4f %.3f %.3f%n", RESULT_PREFIX, plain.size(),
                op.label(), size, n * blocks, mean[0] / 1000, mean[1] / 1000, mean[2], mean[3] / 1000, mean[4] / 1000);
        System.out.flush();
    }

    /** {@code n} calls after a barrier; returns their total time on this rank. */
    private static long run(BenchOp op, Communicator comm, BenchOp.Buffers buffers, int n, Histogram h) {
        comm.barrier();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t0 = h == null ? 0 : System.nanoTime();
            op.call(comm, buffers);
            if (h != null) {
                h.recordValue(Math.max(1, System.nanoTime() - t0));
            }
        }
        long total = System.nanoTime() - start;
        long[] slowest = {total};
        comm.allreduce(DataBuffer.of(slowest), ReduceOp.MAX);
        return slowest[0];
    }
}
