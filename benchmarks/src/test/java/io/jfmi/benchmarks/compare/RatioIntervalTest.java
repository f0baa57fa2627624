package io.jfmi.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The geometric mean of the rounds' ratios, its 95% interval and the verdict against 1.0. */
class RatioIntervalTest {
    @Test
    void theIntervalIsStudentsTOnTheLogRatios() {
        // logs 0, ln 2, ln 4: mean ln 2, sample standard deviation ln 2, two degrees of freedom
        RatioInterval r = RatioInterval.of(new double[] {1, 2, 4});
        double half = 4.303 * Math.log(2) / Math.sqrt(3);
        assertEquals(3, r.rounds());
        assertEquals(2.0, r.geoMean(), 1e-12);
        assertEquals(2 * Math.exp(-half), r.low(), 1e-12);
        assertEquals(2 * Math.exp(half), r.high(), 1e-12);
        assertEquals("noise", r.verdict(), "0.36-11.19 spans 1.0");
        assertEquals("2.00x [0.36-11.19]", r.describe());
    }

    @Test
    void aPointAboveInEveryRoundOfATightSpreadIsAbove() {
        RatioInterval r = RatioInterval.of(new double[] {1.10, 1.12, 1.11, 1.09, 1.13});
        assertTrue(r.low() > 1.08 && r.high() < 1.14, r.describe());
        assertEquals("above", r.verdict());
        assertEquals("below", RatioInterval.of(new double[] {0.91, 0.88, 0.93, 0.90}).verdict());
    }

    @Test
    void roundsOnBothSidesOfOneAreNoise() {
        assertEquals("noise", RatioInterval.of(new double[] {1.03, 0.97, 1.08, 1.14, 0.92}).verdict());
    }

    @Test
    void unmeasuredRoundsAreLeftOutAndTwoRoundsGiveNoInterval() {
        RatioInterval two = RatioInterval.of(new double[] {Double.NaN, 1.21, 1.21, Double.NaN});
        assertEquals(2, two.rounds());
        assertEquals(1.21, two.geoMean(), 1e-12);
        assertEquals("-", two.verdict());
        assertEquals("1.21x", two.describe());
        assertNull(RatioInterval.of(new double[] {Double.NaN, Double.NaN}));
    }

    @Test
    void tQuantilesCoverSmallSamplesAndFallBackToTheNormal() {
        assertEquals(12.706, RatioInterval.t975(1));
        assertEquals(2.776, RatioInterval.t975(4));
        assertEquals(2.042, RatioInterval.t975(30));
        assertEquals(1.96, RatioInterval.t975(31));
        assertThrows(IllegalArgumentException.class, () -> RatioInterval.t975(0));
    }
}
