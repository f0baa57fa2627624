package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void runsTheRoundsAskedFor() {
        Warmup.Report r = Warmup.run(40, Duration.ofSeconds(30));
        assertEquals(40, r.rounds());
        assertTrue(r.millis() >= 0);
    }

    @Test
    void stopsAtItsBudgetWithBothRanksAgreeing() {
        // far more rounds than fit in 200 ms: both ranks stop after the same round (else they would hang)
        Warmup.Report r = Warmup.run(10_000_000, Duration.ofMillis(200));
        assertTrue(r.rounds() < 10_000_000, r.toString());
        assertTrue(r.millis() < 15_000, r.toString());
    }

    @Test
    void zeroRoundsIsAllowedAndNegativeIsNot() {
        assertEquals(0, Warmup.run(0, Duration.ofSeconds(5)).rounds());
        assertThrows(IllegalArgumentException.class, () -> Warmup.run(-1, Duration.ofSeconds(5)));
    }
}
