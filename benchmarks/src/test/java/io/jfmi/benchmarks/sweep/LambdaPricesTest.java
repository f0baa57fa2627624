package io.jfmi.benchmarks.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The cost arithmetic the sweep's table is made of. */
class LambdaPricesTest {
    final LambdaPrices p = LambdaPrices.DEFAULTS;

    @Test
    void computeIsBilledSecondsTimesGigabytesTimesThePrice() {
        // the study's 100 MB row: 130 requests of ~25 s at 10,240 MB
        double cost = p.compute(130 * 25_000L, 10_240);
        assertEquals(130 * 25.0 * 10.0 * 0.0000166667, cost, 1e-12);
        assertEquals(0.5417, cost, 1e-4);
        assertEquals(0.000026, p.requests(130), 1e-12);
        assertEquals(0.025 * 133 / 1000, p.transitions(LambdaPrices.transitionsPerExecution(130)), 1e-12);
    }

    @Test
    void durationsAreBilledByTheMillisecondRoundedUp() {
        assertEquals(1235, LambdaPrices.billedMillis(1234.01));
        assertEquals(1234, LambdaPrices.billedMillis(1234.0));
    }

    @Test
    void theCheapestMemoryGivesAsManyVcpusAsTheWorkUsedUnlessThePeakNeedsMore() {
        assertEquals(3538, LambdaPrices.cheapestMemoryMb(900, 2));
        assertEquals(4000, LambdaPrices.cheapestMemoryMb(3999.2, 2));
        assertEquals(10_240, LambdaPrices.cheapestMemoryMb(900, 8), "capped at Lambda's maximum");
        assertEquals(1769, LambdaPrices.cheapestMemoryMb(100, 1));
    }

    @Test
    void fewerVcpusThanCoresStretchTheDurationMoreDoNotShrinkIt() {
        assertEquals(2000, LambdaPrices.scaledMillis(1000, 2, 1769), 1e-9);
        assertEquals(1000, LambdaPrices.scaledMillis(1000, 2, 10_240), 1e-9);
        assertEquals(6.0, LambdaPrices.vcpus(10_240), 1e-9);
    }

    @Test
    void theStudysOwnDurationsPricedTheSameWay() {
        // 517 requests of 6.55 s at 10,240 MB over 517 x 25 MB of data
        double expected = (517 * 6.55 * 10 * 0.0000166667 + 517 * 0.2e-6 + 520 * 0.025e-3) / (517 * 0.025);
        assertEquals(expected, SweepTable.studyDurationsPerGb("25MB", p), 1e-9);
        assertEquals(0.0447, SweepTable.studyDurationsPerGb("25MB", p), 1e-4);
        assertEquals(Double.NaN, SweepTable.studyDurationsPerGb("10MB", p));
    }

    @Test
    void negativePricesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LambdaPrices(-1, 0, 0));
    }
}
