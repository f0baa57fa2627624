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

    /**
     * @param latency         this rank's timed calls, ns
     * @param cpuNanosPerCall this rank's process CPU per call, ns (0 when unknown)
     * @return the combined row on rank 0; null on the other ranks
     */
    static ResultRow toRankZero(Communicator c, String system, BenchOp op, int size, int calls, Histogram latency,
            double cpuNanosPerCall) {
        List<ResultRow> parts = everyRank(c, system, op, size, calls, latency, cpuNanosPerCall);
        return parts == null ? null : ResultRow.combine(parts);
    }

    /** Every rank's own row, in rank order, on rank 0; null on the other ranks. */
    static List<ResultRow> everyRank(Communicator c, String system, BenchOp op, int size, int calls,
            Histogram latency, double cpuNanosPerCall) {
        double[] mine = {latency.getMean(), latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
            cpuNanosPerCall};
        double[] all = c.rank() == 0 ? new double[4 * c.size()] : null;
        c.gather(DataBuffer.of(mine), all == null ? null : DataBuffer.of(all), 0);
        if (all == null) {
            return null;
        }
        List<ResultRow> parts = new ArrayList<>();
        for (int r = 0; r < c.size(); r++) {
            parts.add(new ResultRow(system, c.size(), op.label(), size, calls, all[4 * r] / 1000,
                    all[4 * r + 1] / 1000, all[4 * r + 2] / 1000, all[4 * r + 3] / 1000));
        }
        return parts;
    }

    /**
     * One line per rank, e.g. "per rank: reduce 8 B, rank 3: mean 2.66 µs, p50 2.19, p99 9.16, CPU 3.37 per call":
     * the mean over ranks hides which ranks carry it (a reduce's leaves, which run ahead of the root, or ranks
     * that shared a core).
     */
    static List<String> describe(List<ResultRow> parts) {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < parts.size(); r++) {
            ResultRow p = parts.get(r);
            lines.add(String.format(Locale.ROOT,
                    "per rank: %s %d B, rank %d: mean %.2f µs, p50 %.2f, p99 %.2f, CPU %s per call",
                    p.op(), p.bytes(), r, p.meanUs(), p.p50Us(), p.p99Us(), p.cpuText()));
        }
        return lines;
    }
}
