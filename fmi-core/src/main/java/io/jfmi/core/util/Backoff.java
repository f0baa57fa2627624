package io.jfmi.core.util;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between retries that double from {@code first} up to {@code max}, each drawn at random from half to all of
 * the current step ("equal jitter"), so hundreds of ranks retrying against a server that is starting or restarting
 * spread their attempts instead of arriving together.
 */
public final class Backoff {
    private final long maxMillis;
    private long stepMillis;
    private int attempts;

    public Backoff(long firstMillis, long maxMillis) {
        if (firstMillis < 1 || maxMillis < firstMillis) {
            throw new IllegalArgumentException("backoff needs 1 <= first <= max, got " + firstMillis + ", "
                    + maxMillis);
        }
        this.stepMillis = firstMillis;
        this.maxMillis = maxMillis;
    }

    /** The next wait in milliseconds, never more than {@code remainingMillis}. */
    public long nextMillis(long remainingMillis) {
        long half = stepMillis / 2;
        long wait = half + ThreadLocalRandom.current().nextLong(stepMillis - half + 1);
        stepMillis = Math.min(maxMillis, stepMillis * 2);
        attempts++;
        return Math.max(0, Math.min(wait, remainingMillis));
    }

    /** How many waits were handed out. */
    public int attempts() {
        return attempts;
    }
}
