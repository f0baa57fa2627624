package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many calls a point gets: the request, capped by a byte budget that never cuts below the floor. */
class ScaledCallsTest {
    @Test
    void smallMessagesGetWhatWasRequested() {
        assertEquals(1000, CollectiveBenchRank.scaled(1000, 100, 8, 4, 1L << 30));
        assertEquals(5, CollectiveBenchRank.scaled(5, 100, 0, 4, 1L << 30), "barrier: no bytes, no cap");
    }

    @Test
    void largeMessagesAreCappedByTheBudgetButNotBelowTheFloor() {
        assertEquals(256, CollectiveBenchRank.scaled(1000, 100, 1 << 20, 4, 1L << 30));
        assertEquals(100, CollectiveBenchRank.scaled(1000, 100, 64 << 20, 8, 1L << 30));
    }

    @Test
    void aRequestBelowTheFloorIsKeptSoNoWarmupMeansNone() {
        assertEquals(0, CollectiveBenchRank.scaled(0, 200, 1 << 20, 2, 1L << 28));
        assertEquals(50, CollectiveBenchRank.scaled(50, 200, 8, 2, 1L << 28));
    }
}
