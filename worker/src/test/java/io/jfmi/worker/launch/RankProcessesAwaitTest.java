package io.jfmi.worker.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The launcher's wait for its ranks, at the moment the last one ends. A real process cannot be made to end between
 * two of the launcher's checks on demand, so this one answers "alive" exactly once, then has ended with its code.
 */
class RankProcessesAwaitTest {
    /** A rank that is alive for the first {@code aliveChecks} calls of isAlive, then ended with {@code code}. */
    private static final class EndingRank extends Process {
        private final AtomicInteger aliveChecks;
        private final int code;

        EndingRank(int aliveChecks, int code) {
            this.aliveChecks = new AtomicInteger(aliveChecks);
            this.code = code;
        }

        @Override
        public boolean isAlive() {
            return aliveChecks.getAndDecrement() > 0;
        }

        @Override
        public int exitValue() {
            if (aliveChecks.get() > 0) {
                throw new IllegalThreadStateException("still running");
            }
            return code;
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) {
            return aliveChecks.get() <= 0;
        }

        @Override
        public int waitFor() {
            aliveChecks.set(0);
            return code;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public void destroy() {
            aliveChecks.set(0);
        }
    }

    @Test
    void aRankEndingBetweenTwoChecksEndsTheWaitWithItsExitCode() throws Exception {
        RankProcesses.Spec spec = new RankProcesses.Spec(2, List.of(), "unused", List.of(), "127.0.0.1:1", "j",
                Path.of("unused"), Duration.ofSeconds(30), Duration.ofSeconds(10));
        // Rank 0 has ended; rank 1 is alive for the loop's first look and gone by its second (where the launcher
        // used to pick "a live rank to wait on" and found none: NoSuchElementException, exit 1 instead of 2).
        List<Process> ranks = List.of(new EndingRank(0, 0), new EndingRank(1, 2));
        RankProcesses.Outcome outcome = RankProcesses.await(spec, ranks, List.of(), System.nanoTime());
        assertEquals(List.of(0, 2), outcome.exitCodes());
        assertEquals(1, outcome.firstFailedRank());
        assertTrue(!outcome.timedOut() && !outcome.succeeded());
    }
}
