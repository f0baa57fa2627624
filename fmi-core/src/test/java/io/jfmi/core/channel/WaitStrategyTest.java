package io.jfmi.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How long a wait polls, and when the poll gives the core away, for each kind of host. */
class WaitStrategyTest {

    @Test
    void ranksWithACoreEachSpinBusyThenYield() {
        WaitStrategy wait = WaitStrategy.forRanksOnHost(2, 2, -1, -1);
        assertEquals(WaitStrategy.DEFAULT_SPIN_NANOS, wait.spinNanos());
        assertEquals(WaitStrategy.DEFAULT_BUSY_NANOS, wait.busyNanos());
        assertFalse(wait.yieldAfter(0));
        assertFalse(wait.yieldAfter(WaitStrategy.DEFAULT_BUSY_NANOS - 1));
        assertTrue(wait.yieldAfter(WaitStrategy.DEFAULT_BUSY_NANOS));
        assertEquals("spin 1000 µs (10 µs busy, then yielding)", wait.describe());
    }

    @Test
    void oversubscribedRanksYieldFromTheFirstTurn() {
        WaitStrategy wait = WaitStrategy.forRanksOnHost(8, 2, -1, -1);
        assertEquals(WaitStrategy.DEFAULT_YIELD_SPIN_NANOS, wait.spinNanos());
        assertEquals(0, wait.busyNanos());
        assertTrue(wait.yieldAfter(0));
        assertEquals("spin 250 µs (yielding)", wait.describe());
    }

    @Test
    void aShortSpinOverrideIsAllBusyAndZeroParksAtOnce() {
        WaitStrategy shortSpin = WaitStrategy.forRanksOnHost(1, 4, 8_000, -1);
        assertEquals(8_000, shortSpin.busyNanos());
        assertFalse(shortSpin.yieldAfter(7_999));
        assertEquals("spin 8 µs (busy)", shortSpin.describe());

        WaitStrategy noSpin = WaitStrategy.forRanksOnHost(1, 4, 0, -1);
        assertEquals(0, noSpin.spinNanos());
        assertEquals("spin 0 µs (busy)", noSpin.describe());

        assertEquals(5_000_000, WaitStrategy.forRanksOnHost(16, 2, 5_000_000, -1).spinNanos());
    }

    @Test
    void negativeBudgetsAreRefusedByName() {
        IllegalArgumentException spin = assertThrows(IllegalArgumentException.class, () -> new WaitStrategy(-1, 0));
        assertTrue(spin.getMessage().contains("spinNanos"), spin.getMessage());
        IllegalArgumentException busy = assertThrows(IllegalArgumentException.class, () -> new WaitStrategy(10, -5));
        assertTrue(busy.getMessage().contains("busyNanos"), busy.getMessage());
    }

    @Test
    void theBusyPartCanBeSetAndNeverExceedsTheSpin() {
        WaitStrategy longer = WaitStrategy.forRanksOnHost(2, 2, -1, 40_000);
        assertEquals(WaitStrategy.DEFAULT_SPIN_NANOS, longer.spinNanos());
        assertEquals(40_000, longer.busyNanos());
        assertFalse(longer.yieldAfter(39_999));
        assertTrue(longer.yieldAfter(40_000));
        assertEquals("spin 1000 µs (40 µs busy, then yielding)", longer.describe());
        assertEquals(30_000, WaitStrategy.forRanksOnHost(8, 2, 30_000, 100_000).busyNanos(), "capped at the spin");
        assertEquals(20_000, WaitStrategy.forRanksOnHost(8, 2, -1, 20_000).busyNanos(), "oversubscribed, set");
    }
}
