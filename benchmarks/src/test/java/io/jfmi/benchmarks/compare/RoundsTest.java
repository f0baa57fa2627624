package io.jfmi.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.benchmarks.collective.ResultRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several rounds of compare: median rows per system and point, and jfmi's ratio round by round. */
class RoundsTest {
    private static ResultRow row(String system, String op, double mean) {
        return row(system, op, mean, 2 * mean);
    }

    private static ResultRow row(String system, String op, double mean, double p99) {
        return new ResultRow(system, 8, op, 1 << 20, 128, mean, mean, p99);
    }

    private static final List<List<ResultRow>> ROUNDS = List.of(
            List.of(row("jfmi", "allreduce", 9000), row("openmpi", "allreduce", 6000), row("jfmi", "reduce", 3000)),
            List.of(row("openmpi", "allreduce", 9000), row("jfmi", "allreduce", 8000)),
            List.of(row("jfmi", "allreduce", 8500), row("openmpi", "allreduce", 8000)));

    @Test
    void eachSystemsMedianRowIsAMeasuredOne() {
        List<ResultRow> medians = Rounds.medianRows(ROUNDS);
        assertEquals(List.of(row("jfmi", "allreduce", 8500), row("openmpi", "allreduce", 8000),
                row("jfmi", "reduce", 3000)), medians);
        assertEquals(6000, Rounds.medianRows(List.of(List.of(row("openmpi", "bcast", 6000)),
                List.of(row("openmpi", "bcast", 9000)))).get(0).meanUs(), "an even count takes the lower middle");
    }

    @Test
    void ratiosPairTheRunsOfOneRoundAndTheirMedianIsReported() {
        String table = Rounds.ratioTable(ROUNDS, "openmpi", Rounds.Metric.MEAN);
        // 9000/6000, 8000/9000, 8500/8000: median 1.06x (not 8500/8000 of the median rows by chance); geometric
        // mean 1.12x, its interval 0.58-2.17 (t = 4.303 on two degrees of freedom): noise
        assertTrue(table.lines().anyMatch(l -> l.matches("\\s+8 allreduce\\s+1M\\s+1\\.50x\\s+0\\.89x\\s+1\\.06x"
                + "\\s+1\\.06x\\s+1\\.12x \\[0\\.58-2\\.17\\]\\s+noise")), table);
        assertTrue(table.lines().noneMatch(l -> l.contains("reduce ") && !l.contains("allreduce")),
                "a point no peer measured has no ratio: " + table);
        assertEquals("", Rounds.ratioTable(ROUNDS, "gloo", Rounds.Metric.MEAN));
    }

    @Test
    void theP99TableDividesTheRoundsP99s() {
        List<List<ResultRow>> rounds = List.of(
                List.of(row("jfmi", "reduce", 10, 40), row("openmpi", "reduce", 12, 20)),
                List.of(row("openmpi", "reduce", 11, 21), row("jfmi", "reduce", 9, 42)),
                List.of(row("jfmi", "reduce", 10, 44), row("openmpi", "reduce", 10, 22)));
        String p99 = Rounds.ratioTable(rounds, "openmpi", Rounds.Metric.P99);
        assertTrue(p99.contains("jfmi/openmpi p99 ratio"), p99);
        assertTrue(p99.lines().anyMatch(l -> l.matches("\\s+8 reduce\\s+1M\\s+2\\.00x\\s+2\\.00x\\s+2\\.00x"
                + "\\s+2\\.00x\\s+2\\.00x \\[2\\.00-2\\.00\\]\\s+above")), p99);
        String mean = Rounds.ratioTable(rounds, "openmpi", Rounds.Metric.MEAN);
        assertTrue(mean.lines().anyMatch(l -> l.matches("\\s+8 reduce\\s+1M\\s+0\\.83x\\s+0\\.82x\\s+1\\.00x"
                + "\\s+0\\.83x\\s+0\\.88x \\[0\\.67-1\\.16\\]\\s+noise")), mean);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(1.0, Rounds.median(new double[] {0.5, 0.9, 1.1, 2.0}), 1e-12);
        assertEquals(0.9, Rounds.median(new double[] {Double.NaN, 0.9, 2.0, 0.5}), 1e-12, "unmeasured rounds left out");
    }
}
