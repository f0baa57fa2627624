package io.jfmi.core.channel;

/**
 * Spin-then-park: poll the sockets for up to {@code spinNanos}, then block in the selector. Spinning wins while
 * every rank on the host has a core (a blocking wake-up costs 25-30 µs here); beyond that, spinning ranks starve
 * the others, so {@link #forRanksOnHost} drops the spin to almost nothing.
 */
public record WaitStrategy(long spinNanos) {
    /** Spin budget used while ranks on the host do not outnumber cores. */
    public static final long DEFAULT_SPIN_NANOS = 50_000;
    /** Spin budget when oversubscribed: just enough to catch an answer already in flight. */
    public static final long OVERSUBSCRIBED_SPIN_NANOS = 2_000;

    public WaitStrategy {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
        }
    }

    public static WaitStrategy forRanksOnHost(int ranksOnHost, int cores) {
        return new WaitStrategy(ranksOnHost <= cores ? DEFAULT_SPIN_NANOS : OVERSUBSCRIBED_SPIN_NANOS);
    }
}
