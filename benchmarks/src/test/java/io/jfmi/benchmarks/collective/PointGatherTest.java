package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-rank lines of {@code collectives --per-rank}. */
class PointGatherTest {
    @Test
    void describesEveryRankInRankOrderWithItsOwnFigures() {
        ResultRow root = new ResultRow("jfmi", 3, "reduce", 8, 1000, 33.02, 2.44, 33.02, 7.25);
        ResultRow leaf = new ResultRow("jfmi", 3, "reduce", 8, 1000, 2.66, 2.19, 9.16, 3.37);
        ResultRow unmeasured = new ResultRow("jfmi", 3, "reduce", 8, 1000, 14.92, 2.15, 8.84, 0);
        assertEquals(List.of(
                "per rank: reduce 8 B, rank 0: mean 33.02 µs, p50 2.44, p99 33.02, CPU 7.25 per call, waiting for a"
                        + " CPU 25.41",
                "per rank: reduce 8 B, rank 1: mean 2.66 µs, p50 2.19, p99 9.16, CPU 3.37 per call, waiting for a"
                        + " CPU 0.00",
                "per rank: reduce 8 B, rank 2: mean 14.92 µs, p50 2.15, p99 8.84, CPU - per call"),
                PointGather.describe(List.of(new PointGather.RankPoint(root, 25.41), new PointGather.RankPoint(leaf, 0),
                        new PointGather.RankPoint(unmeasured, -1))));
    }
}
