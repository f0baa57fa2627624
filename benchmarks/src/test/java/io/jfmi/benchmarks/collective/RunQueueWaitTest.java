package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The run-queue wait that {@code collectives --per-rank} prints per rank. */
class RunQueueWaitTest {
    @Test
    void takesEachFieldOfASchedstatLine() {
        assertEquals(304524, Schedstat.field(ascii("304524 2123992 2\n"), Schedstat.ON_CPU));
        assertEquals(2123992, Schedstat.field(ascii("304524 2123992 2\n"), Schedstat.RUN_QUEUE_WAIT));
        assertEquals(2, Schedstat.field(ascii("304524 2123992 2\n"), 2));
        assertEquals(0, Schedstat.field(ascii("0 0 0\n"), Schedstat.RUN_QUEUE_WAIT));
        assertEquals(-1, Schedstat.field(ascii("304524\n"), Schedstat.RUN_QUEUE_WAIT));
        assertEquals(-1, Schedstat.field(ascii(""), Schedstat.ON_CPU));
    }

    @Test
    void readsTheCallingThreadsOwnWaitAndNoOtherThreads() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")), "the kernel keeps no schedstat");
        RunQueueWait wait = RunQueueWait.forCallingThread();
        long first = wait.nanos();
        assertTrue(first >= 0, "a reading: " + first);
        Thread.yield();
        assertTrue(wait.nanos() >= first, "the wait only grows");
        AtomicLong fromOther = new AtomicLong();
        Thread other = new Thread(() -> fromOther.set(wait.nanos()));
        other.start();
        other.join();
        assertEquals(-1, fromOther.get(), "another thread would read the opener's figures");
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
