package io.jfmi.benchmarks.collective;

import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** One measured point of every rank, brought to rank 0 and combined as {@link ResultRow#combine} says. */
final class PointGather {
    private PointGather() {
    }

    /** Figures per rank and point. */
    private static final int FIGURES = 5;

    /** One rank's row and its run-queue wait per call, µs (negative when unknown). */
    record RankPoint(ResultRow row, double runQueueUs) {
    }

    /**
     * @param latency         this rank's timed calls, ns
     * @param cpuNanosPerCall this rank's process CPU per call, ns (0 when unknown)
     * @return the combined row on rank 0; null on the other ranks
     */
    static ResultRow toRankZero(Communicator c, String system, BenchOp op, int size, int calls, Histogram latency,
            double cpuNanosPerCall) {
        List<RankPoint> parts = everyRank(c, system, op, size, calls, latency, cpuNanosPerCall, -1);
        return parts == null ? null : ResultRow.combine(rows(parts));
    }

    /**
     * Every rank's own figures, in rank order, on rank 0; null on the other ranks.
     *
     * @param runQueueNanosPerCall this rank's time waiting for a CPU per call, ns (negative when unknown)
     */
    static List<RankPoint> everyRank(Communicator c, String system, BenchOp op, int size, int calls,
            Histogram latency, double cpuNanosPerCall, double runQueueNanosPerCall) {
        long[] mine = asBits(latency.getMean(), latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
            cpuNanosPerCall, runQueueNanosPerCall);
        long[] all = c.rank() == 0 ? new long[FIGURES * c.size()] : null;
        c.gather(DataBuffer.of(mine), all == null ? null : DataBuffer.of(all), 0);
        if (all == null) {
            return null;
        }
        List<RankPoint> parts = new ArrayList<>();
        for (int r = 0; r < c.size(); r++) {
            int at = FIGURES * r;
            ResultRow row = new ResultRow(system, c.size(), op.label(), size, calls, micros(all[at]),
                    micros(all[at + 1]), micros(all[at + 2]), micros(all[at + 3]));
            double waitUs = micros(all[at + 4]);
            parts.add(new RankPoint(row, waitUs < 0 ? -1 : waitUs));
        }
        return parts;
    }

    /**
     * The figures as the raw bits of their doubles. Sent as {@code long[]}, the type the harness's agreements
     * already send, because a {@code double[]} would be the first of its type to reach the communicator's staging
     * switch after the timed ops were compiled: measured, an uncommon trap there on every rank deoptimized the
     * compiled collectives that had inlined it, and a later point's calls met their recompilation.
     */
    private static long[] asBits(double... figures) {
        long[] bits = new long[figures.length];
        for (int i = 0; i < figures.length; i++) {
            bits[i] = Double.doubleToRawLongBits(figures[i]);
        }
        return bits;
    }

    private static double micros(long nanosBits) {
        return Double.longBitsToDouble(nanosBits) / 1000;
    }

    /** The rows alone, for {@link ResultRow#combine}. */
    static List<ResultRow> rows(List<RankPoint> parts) {
        return parts.stream().map(RankPoint::row).toList();
    }

    /**
     * One line per rank, e.g. "per rank: reduce 8 B, rank 3: mean 2.66 µs, p50 2.19, p99 9.16, CPU 3.37 per call,
     * waiting for a CPU 0.41": the mean over ranks hides which ranks carry it (a reduce's leaves, which run ahead
     * of the root, or ranks that shared a core), and the wait tells a rank's own slow calls from turns it waited for
     * a core (left out where the kernel does not tell).
     */
    static List<String> describe(List<RankPoint> parts) {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < parts.size(); r++) {
            ResultRow p = parts.get(r).row();
            double wait = parts.get(r).runQueueUs();
            lines.add(String.format(Locale.ROOT,
                    "per rank: %s %d B, rank %d: mean %.2f µs, p50 %.2f, p99 %.2f, CPU %s per call%s",
                    p.op(), p.bytes(), r, p.meanUs(), p.p50Us(), p.p99Us(), p.cpuText(),
                    wait < 0 ? "" : String.format(Locale.ROOT, ", waiting for a CPU %.2f", wait)));
        }
        return lines;
    }
}
