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
        WaitStrategy wait = WaitStrategy.forRanksOnHost(2, 2, -1);
        assertEquals(WaitStrategy.DEFAULT_SPIN_NANOS, wait.spinNanos());
        assertEquals(WaitStrategy.DEFAULT_BUSY_NANOS, wait.busyNanos());
        assertFalse(wait.yieldAfter(0));
        assertFalse(wait.yieldAfter(WaitStrategy.DEFAULT_BUSY_NANOS - 1));
        assertTrue(wait.yieldAfter(WaitStrategy.DEFAULT_BUSY_NANOS));
        assertEquals("spin 1000 µs (50 µs busy, then yielding)", wait.describe());
    }

    @Test
    void oversubscribedRanksYieldFromTheFirstTurn() {
        WaitStrategy wait = WaitStrategy.forRanksOnHost(8, 2, -1);
        assertEquals(WaitStrategy.DEFAULT_YIELD_SPIN_NANOS, wait.spinNanos());
        assertEquals(0, wait.busyNanos());
        assertTrue(wait.yieldAfter(0));
        assertEquals("spin 250 µs (yielding)", wait.describe());
    }

    @Test
    void aShortSpinOverrideIsAllBusyAndZeroParksAtOnce() {
        WaitStrategy shortSpin = WaitStrategy.forRanksOnHost(1, 4, 20_000);
        assertEquals(20_000, shortSpin.busyNanos());
        assertFalse(shortSpin.yieldAfter(19_999));
        assertEquals("spin 20 µs (busy)", shortSpin.describe());

        WaitStrategy noSpin = WaitStrategy.forRanksOnHost(1, 4, 0);
        assertEquals(0, noSpin.spinNanos());
        assertEquals("spin 0 µs (busy)", noSpin.describe());

        assertEquals(5_000_000, WaitStrategy.forRanksOnHost(16, 2, 5_000_000).spinNanos());
    }

    @Test
    void negativeBudgetsAreRefusedByName() {
        IllegalArgumentException spin = assertThrows(IllegalArgumentException.class, () -> new WaitStrategy(-1, 0));
        assertTrue(spin.getMessage().contains("spinNanos"), spin.getMessage());
        IllegalArgumentException busy = assertThrows(IllegalArgumentException.class, () -> new WaitStrategy(10, -5));
        assertTrue(busy.getMessage().contains("busyNanos"), busy.getMessage());
    }
}
