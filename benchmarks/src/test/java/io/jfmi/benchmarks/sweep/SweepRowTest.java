package io.jfmi.benchmarks.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A sweep row's statistics and its cost scaled from the measured sample to every partition. */
class SweepRowTest {
    private final LambdaPrices prices = LambdaPrices.DEFAULTS;
    // 4 of 10 partitions measured, 25 MB each of a 250 MB dataset
    private final SweepRow row = new SweepRow("25MB", 10, List.of(new PartitionRun(1000.2, 500, 800, 100),
            new PartitionRun(2000, 600, 900, 100), new PartitionRun(3000, 700, 700, 100),
            new PartitionRun(4000, 800, 850, 100)), 250_000_000L);

    @Test
    void statisticsOfTheMeasuredRuns() {
        assertEquals(2500.05, row.meanMillis(), 1e-9);
        assertEquals(4000, row.p95Millis());
        assertEquals(700, row.initP50Millis());
        assertEquals(900, row.maxMemoryMb());
    }

    @Test
    void billedTimeIsInitPlusDurationRoundedUpThenScaledToAllPartitions() {
        // at 10,240 MB (6 vCPUs) on 2 measured cores nothing stretches: 1501 + 2600 + 3700 + 4800 ms for 4 of 10
        assertEquals(Math.round((1501 + 2600 + 3700 + 4800) * 10 / 4.0), row.billedMillis(2, 10_240));
        // at 1,769 MB (1 vCPU) work measured on 2 cores takes twice as long
        assertEquals(Math.round((3001 + 5200 + 7400 + 9600) * 10 / 4.0), row.billedMillis(2, 1769));
    }

    @Test
    void costAddsComputeRequestsAndTransitionsAndIsQuotedPerGigabyte() {
        double[] c = row.cost(prices, 2, 10_240);
        assertEquals(prices.compute(row.billedMillis(2, 10_240), 10_240), c[0], 1e-15);
        assertEquals(prices.requests(10), c[1], 1e-15);
        assertEquals(prices.transitions(13), c[2], 1e-15);
        assertEquals(c[0] + c[1] + c[2], c[3], 1e-15);
        assertEquals(c[3] / 0.25, row.perGb(c[3]), 1e-15);
        assertTrue(row.toString().startsWith("25MB 10 partitions, 4 measured"), row.toString());
    }
}
