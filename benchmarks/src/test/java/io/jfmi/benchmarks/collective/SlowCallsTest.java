package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SlowCallsTest {
    @Test
    void listsTheCallsOverTheThresholdByIndexWithinTheBlock() {
        long[] samples = {4_900_000, 120_000, 2_150_000, 1_000_000, 90_000, 7_000_000};
        // only the first five calls belong to the block; a call of exactly the threshold is not slow
        assertEquals("slow calls (over 1000 µs): allgather 1024 B, rank 2: 2 of 5: #0 4.90 ms, #2 2.15 ms",
                SlowCalls.describe(samples, 5, 1_000_000, "allgather 1024 B", 2));
    }

    @Test
    void saysNothingWhenNoCallIsSlow() {
        assertNull(SlowCalls.describe(new long[] {10, 20, 30}, 3, 1_000, "barrier 0 B", 0));
    }

    @Test
    void listsAtMostTwentyAndCountsTheRest() {
        long[] samples = new long[30];
        Arrays.fill(samples, 2_000_000);
        String s = SlowCalls.describe(samples, 30, 1_000_000, "reduce 8 B", 1);
        assertTrue(s.startsWith("slow calls (over 1000 µs): reduce 8 B, rank 1: 30 of 30: #0 2.00 ms, "), s);
        assertTrue(s.endsWith("#19 2.00 ms and 10 more"), s);
        assertEquals(SlowCalls.MAX_LISTED, s.split("#").length - 1, s);
    }
}
