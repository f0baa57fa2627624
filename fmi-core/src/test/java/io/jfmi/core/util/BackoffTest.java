package io.jfmi.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void waitsDoubleWithJitterUpToTheMaximum() {
        for (int trial = 0; trial < 200; trial++) {
            Backoff b = new Backoff(50, 400);
            long[] steps = {50, 100, 200, 400, 400, 400};
            for (long step : steps) {
                long w = b.nextMillis(Long.MAX_VALUE);
                assertTrue(w >= step / 2 && w <= step, "wait " + w + " for step " + step);
            }
            assertEquals(steps.length, b.attempts());
        }
    }

    @Test
    void neverWaitsPastWhatIsLeftOfTheDeadline() {
        Backoff b = new Backoff(1000, 1000);
        assertEquals(7, b.nextMillis(7));
        assertEquals(0, b.nextMillis(-5));
    }

    @Test
    void refusesANonsenseRange() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(20, 10));
    }
}
