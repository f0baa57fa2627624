package io.jfmi.core.util;

import java.time.Duration;

/** A point in time on the monotonic clock; every blocking call in jfmi waits against one. */
public final class Deadline {
    private final long deadlineNanos;
    private final long budgetMillis;

    private Deadline(long deadlineNanos, long budgetMillis) {
        this.deadlineNanos = deadlineNanos;
        this.budgetMillis = budgetMillis;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget.toMillis());
    }

    /** The deadline at {@code deadlineNanos} on {@link System#nanoTime()}, out of a budget of that many ms. */
    public static Deadline at(long deadlineNanos, long budgetMillis) {
        return new Deadline(deadlineNanos, budgetMillis);
    }

    public static Deadline afterMillis(long millis) {
        return after(Duration.ofMillis(millis));
    }

    public long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    /** Remaining time in whole milliseconds, never below 0. */
    public long remainingMillis() {
        long nanos = remainingNanos();
        return nanos <= 0 ? 0 : Math.max(1, nanos / 1_000_000L);
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    /** The budget this deadline was created with, for error messages. */
    public long budgetMillis() {
        return budgetMillis;
    }
}
