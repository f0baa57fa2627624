package io.jfmi.benchmarks.collective;

import java.util.Locale;

/**
 * Which timed calls of a block took longer than a threshold, by their index in the block: where a cold rank's tail
 * sits (its first calls, or calls at fixed counts, where the JIT's counters trigger compilations) is what its mean
 * and p99 cannot say.
 */
final class SlowCalls {
    /** At most this many calls are listed; the rest are counted. */
    static final int MAX_LISTED = 20;

    private SlowCalls() {
    }

    /**
     * E.g. "slow calls (over 1000 µs): allgather 1024 B, rank 2: 3 of 300: #0 4.90 ms, #1 2.15 ms, #255 1.98 ms", or
     * null when no call of {@code samples[0..calls)} (ns) took longer than {@code thresholdNanos}.
     */
    static String describe(long[] samples, int calls, long thresholdNanos, String point, int rank) {
        StringBuilder list = new StringBuilder();
        int slow = 0;
        for (int i = 0; i < calls; i++) {
            if (samples[i] > thresholdNanos) {
                if (slow < MAX_LISTED) {
                    list.append(slow == 0 ? "" : ", ").append(String.format(Locale.ROOT, "#%d %.2f ms", i,
                            samples[i] / 1e6));
                }
                slow++;
            }
        }
        if (slow == 0) {
            return null;
        }
        String more = slow > MAX_LISTED ? " and " + (slow - MAX_LISTED) + " more" : "";
        return String.format(Locale.ROOT, "slow calls (over %d µs): %s, rank %d: %d of %d: %s%s",
                thresholdNanos / 1000, point, rank, slow, calls, list, more);
    }
}
