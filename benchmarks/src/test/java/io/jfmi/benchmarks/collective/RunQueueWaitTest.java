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
    void takesTheSecondFieldOfASchedstatLine() {
        assertEquals(2123992, RunQueueWait.secondField(ascii("304524 2123992 2\n")));
        assertEquals(0, RunQueueWait.secondField(ascii("0 0 0\n")));
        assertEquals(-1, RunQueueWait.secondField(ascii("304524\n")));
        assertEquals(-1, RunQueueWait.secondField(ascii("")));
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
