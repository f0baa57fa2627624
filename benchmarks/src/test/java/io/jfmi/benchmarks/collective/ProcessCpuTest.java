package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process's CPU time and its JIT's, as the collective benchmark reads them between timed calls. */
class ProcessCpuTest {
    @Test
    void processCpuGrowsByAtLeastTheTimeAThreadSpentSpinning() {
        ProcessCpu.refreshThreads();
        long before = ProcessCpu.nanos();
        long spun = spin(TimeUnit.MILLISECONDS.toNanos(60));
        long after = ProcessCpu.nanos();
        assertTrue(before >= 0, "a reading on this machine");
        // the spinning thread was on a CPU for most of its 60 ms of wall time (2 cores, a test suite beside it)
        assertTrue(after - before >= spun / 4, "CPU grew by " + (after - before) + " ns over a spin of " + spun);
    }

    @Test
    void aSpinShorterThanASchedulerTickOnTheListingThreadReadsAsCpu() {
        ProcessCpu.refreshThreads();
        for (int i = 0; i < 20; i++) { // schedstat alone read such spans as 0 ns on most tries
            long before = ProcessCpu.nanos();
            long spun = spin(TimeUnit.MICROSECONDS.toNanos(300));
            long after = ProcessCpu.nanos();
            assertTrue(after - before >= spun / 2, "try " + i + ": " + (after - before) + " ns over a spin of " + spun);
        }
    }

    @Test
    void aThreadStartedAfterTheListingCountsOnlyOnceTheThreadsAreListedAgain() throws InterruptedException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
        Thread worker = new Thread(() -> spin(TimeUnit.MILLISECONDS.toNanos(400)), "cpu-test-worker");
        ProcessCpu.refreshThreads();
        worker.start();
        Thread.sleep(150);
        long unlisted = ProcessCpu.nanos();
        ProcessCpu.refreshThreads();
        long listed = ProcessCpu.nanos();
        worker.join();
        assertTrue(listed - unlisted >= TimeUnit.MILLISECONDS.toNanos(20),
                "the worker's CPU so far joins the sum once listed: " + unlisted + " -> " + listed);
    }

    @Test
    void theJitWatchFindsTheCompilerThreadsAndNeverGoesBackwards() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
        ProcessCpu.refreshThreads();
        assertTrue(ProcessCpu.compilerNanos() > 0, "HotSpot's compiler threads have compiled this test's code");
        JitWatch watch = new JitWatch();
        for (int i = 0; i < 5; i++) {
            spin(TimeUnit.MILLISECONDS.toNanos(5));
            assertTrue(watch.busyNanosSinceLastLook() >= 0);
        }
    }

    @Test
    void aQuietJitIsOneMillisecondOrOnePercentOfTheWindowWhicheverIsMore() {
        assertEquals(1_000_000L, CollectiveBenchRank.jitQuietNanos(20_000_000L));
        assertEquals(5_000_000L, CollectiveBenchRank.jitQuietNanos(500_000_000L));
    }

    private static long spin(long nanos) {
        long start = System.nanoTime();
        long x = 0;
        while (System.nanoTime() - start < nanos) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        if (x == 42) {
            System.out.print("");
        }
        return System.nanoTime() - start;
    }
}
