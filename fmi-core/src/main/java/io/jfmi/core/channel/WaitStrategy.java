package io.jfmi.core.channel;

/**
 * Spin-then-park: poll the sockets for up to {@code spinNanos}, then block in a selector. While every rank on the
 * host has a core, the spin is a busy poll (a blocking wake-up costs 25-30 µs here). When ranks outnumber cores
 * a busy poll starves the rank that would answer, so the spin yields the core on every turn instead
 * ({@code Thread.yield}, as MPI does when oversubscribed): measured with 4 and 8 ranks on 2 cores this cut
 * small-message latency by up to 2x against parking after a 2 µs spin.
 */
public record WaitStrategy(long spinNanos, boolean yieldWhileSpinning) {
    /**
     * Busy-spin budget while every rank on the host has a core: 1 ms since 2026-12-01 (was 50 µs). With 2 ranks, 1%
     * of small calls found the peer a little late, parked, and paid the wake-up: a p99 of 131 µs on any op against
     * 12-20 µs with the longer spin (benchmarks/RESULTS.md). A rank that waits longer still parks, so a slow peer
     * costs at most 1 ms of one core.
     */
    public static final long DEFAULT_SPIN_NANOS = 1_000_000;
    /**
     * Yielding-spin budget when ranks outnumber cores: 50 µs, unchanged. Yielding for 1 ms instead measured better
     * in one run and worse in another at 4 and 8 ranks on 2 cores, within this machine's noise (RESULTS.md).
     */
    public static final long DEFAULT_YIELD_SPIN_NANOS = 50_000;

    public WaitStrategy {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
        }
    }

    /**
     * @param spinOverride the user's spin budget in ns, or -1 for the default
     */
    public static WaitStrategy forRanksOnHost(int ranksOnHost, int cores, long spinOverride) {
        boolean oversubscribed = ranksOnHost > cores;
        long spin = spinOverride >= 0 ? spinOverride : oversubscribed ? DEFAULT_YIELD_SPIN_NANOS : DEFAULT_SPIN_NANOS;
        return new WaitStrategy(spin, oversubscribed);
    }
}
