package io.jfmi.benchmarks.collective;

import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import java.util.ArrayList;
import java.util.List;
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
        return ResultRow.combine(parts);
    }
}
