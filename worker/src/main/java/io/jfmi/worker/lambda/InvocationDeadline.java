package io.jfmi.worker.lambda;

import io.jfmi.core.FmiTimeoutException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time an invocation has left (Lambda's {@code getRemainingTimeInMillis}) less a safety margin: every
 * deadline of the job is cut to it, so a rank near its function timeout fails the job with a reason instead of
 * being killed mid-call, which its peers would only see as silence.
 */
final class InvocationDeadline {
    private final LongSupplier remainingMillis;
    private final long marginMillis;

    InvocationDeadline(LongSupplier remainingMillis, long marginMillis) {
        this.remainingMillis = remainingMillis;
        this.marginMillis = marginMillis;
    }

    /** Milliseconds usable before the margin; may be negative. */
    long usableMillis() {
        return remainingMillis.getAsLong() - marginMillis;
    }

    /** {@code wanted}, cut to the usable time (at least 1 ms, so the call fails fast rather than not at all). */
    Duration cap(Duration wanted) {
        return Duration.ofMillis(Math.max(1, Math.min(wanted.toMillis(), usableMillis())));
    }

    /** Throws when less than the margin is left before {@code phase} starts. */
    void check(String phase, int rank) {
        long usable = usableMillis();
        if (usable <= 0) {
            throw new FmiTimeoutException("rank " + rank + " has " + remainingMillis.getAsLong() + " ms left of its "
                    + "function timeout before " + phase + ", less than the " + marginMillis + " ms margin "
                    + "(raise the function timeout or give each rank less data)");
        }
    }
}
