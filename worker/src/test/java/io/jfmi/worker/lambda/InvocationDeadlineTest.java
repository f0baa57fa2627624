package io.jfmi.worker.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.FmiTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InvocationDeadlineTest {
    @Test
    void deadlinesAreCutToTheTimeLeftLessTheMargin() {
        AtomicLong remaining = new AtomicLong(40_000);
        InvocationDeadline d = new InvocationDeadline(remaining::get, 10_000);
        assertEquals(Duration.ofSeconds(20), d.cap(Duration.ofSeconds(20)), "enough time: unchanged");
        assertEquals(Duration.ofSeconds(30), d.cap(Duration.ofSeconds(60)), "cut to remaining - margin");
        remaining.set(9_000);
        assertEquals(Duration.ofMillis(1), d.cap(Duration.ofSeconds(60)), "past the margin: fail fast");
        FmiTimeoutException e = assertThrows(FmiTimeoutException.class, () -> d.check("joining the job", 3));
        assertTrue(e.getMessage().contains("rank 3 has 9000 ms left of its function timeout before joining the job"),
                e.getMessage());
    }
}
