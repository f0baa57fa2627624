package io.jfmi.worker.job;

import java.util.Locale;

/** The line AWS Lambda prints at the end of an invocation, filled with this rank's figures. */
public final class LambdaReport {
    private LambdaReport() {
    }

    /**
     * @param requestId    id of this invocation (job and rank here)
     * @param durationMs   handler time: from ready (joined, model and data loaded) to results combined
     * @param memorySizeMb the memory size the function is configured with
     * @param maxUsedMb    peak resident set size of the process
     * @param initMs       JVM start to ready
     */
    public static String line(String requestId, double durationMs, long memorySizeMb, long maxUsedMb, double initMs) {
        return String.format(Locale.ROOT, "REPORT RequestId: %s Duration: %.2f ms Billed Duration: %d ms "
                + "Memory Size: %d MB Max Memory Used: %d MB Init Duration: %.2f ms", requestId, durationMs,
                (long) Math.ceil(durationMs), memorySizeMb, maxUsedMb, initMs);
    }
}
