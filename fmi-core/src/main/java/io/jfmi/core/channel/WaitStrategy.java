package io.jfmi.core.channel;

/**
 * Spin-then-park: poll the sockets for up to {@code spinNanos}, then block in a selector. The first
 * {@code busyNanos} of the spin are a busy poll (a blocking wake-up costs 25-30 µs here); after that every turn
 * also yields the core ({@code Thread.yield}), and a yield costs about a microsecond when nothing else wants the
 * core.
 *
 * <p>Why yield at all when every rank has a core: cores are shared with other threads (JIT compilers, inference
 * threads, the kernel's network work). Measured on 2 cores with 2 ranks, when background work took one core both
 * spinning ranks landed on the other, and each waited out the other's full scheduler slice: runs of calls took 1-4
 * ms instead of 7 µs, a p99 of 1-2 ms on the first op of a job (benchmarks/RESULTS.md). A rank that yields after a
 * short busy poll hands the core to the peer it is waiting for. When ranks outnumber cores the spin yields from
 * the first turn ({@code busyNanos} 0), as MPI does when oversubscribed.
 */
public record WaitStrategy(long spinNanos, long busyNanos) {
    /**
     * Spin budget while every rank on the host has a core: 1 ms since 2026-12-01 (was 50 µs). With 2 ranks, 1% of
     * small calls found the peer a little late, parked, and paid the wake-up: a p99 of 131 µs on any op against
     * 12-20 µs with the longer spin (benchmarks/RESULTS.md). A rank that waits longer still parks.
     */
    public static final long DEFAULT_SPIN_NANOS = 1_000_000;
    /**
     * Busy part of that spin: 10 µs since 2026-12-02 (was 50 µs). A peer on its own core answers a small message in
     * about this (2-rank round trips 7-12 µs p50 here), and when the two ranks share a core for a while (another
     * thread took the other), a waiting rank that stays busy keeps the peer it waits for off the core for the whole
     * busy part, every call: runs of hundreds of calls at 60-150 µs, every second one slow. Measured with the same
     * JVMs running both (benchmarks paired, 2 ranks on 2 cores): 8 B ops 0.46-0.64x the time with a busy loop on one
     * core, p50 unchanged without it (means 0.58-1.29x over three runs, carried by such runs).
     */
    public static final long DEFAULT_BUSY_NANOS = 10_000;
    /**
     * Spin budget when ranks outnumber cores, all of it yielding: 250 µs since 2026-12-02 (was 50 µs). A rank that
     * parks pays a wake-up on top of waiting for a core, and with 4 ranks on 2 cores the peer it waits for often
     * answers after 50 µs. Measured with the same JVMs running both (benchmarks paired, 4 and 8 ranks on 2 cores,
     * two runs): 8 B barrier, allgather, allreduce and alltoall 0.64-0.91x the time, 1 MiB ops 0.73-1.04x; a 1 ms
     * spin gained a little more on some small ops but took a 1 MiB reduce to 1.30x (benchmarks/RESULTS.md).
     */
    public static final long DEFAULT_YIELD_SPIN_NANOS = 250_000;

    public WaitStrategy {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
        }
        if (busyNanos < 0) {
            throw new IllegalArgumentException("busyNanos must be >= 0, got " + busyNanos);
        }
    }

    /**
     * @param spinOverride the user's spin budget in ns, or -1 for the default
     * @param busyOverride the user's busy part in ns (capped at the spin), or -1 for the default
     */
    public static WaitStrategy forRanksOnHost(int ranksOnHost, int cores, long spinOverride, long busyOverride) {
        boolean oversubscribed = ranksOnHost > cores;
        long spin = spinOverride >= 0 ? spinOverride : oversubscribed ? DEFAULT_YIELD_SPIN_NANOS : DEFAULT_SPIN_NANOS;
        long busy = busyOverride >= 0 ? busyOverride : oversubscribed ? 0 : DEFAULT_BUSY_NANOS;
        return new WaitStrategy(spin, Math.min(spin, busy));
    }

    /** Whether a wait that has spun for {@code spunNanos} should yield the core on this turn. */
    public boolean yieldAfter(long spunNanos) {
        return spunNanos >= busyNanos;
    }

    /** For logs, e.g. "spin 1000 µs (10 µs busy, then yielding)". */
    public String describe() {
        if (busyNanos >= spinNanos) {
            return "spin " + spinNanos / 1000 + " µs (busy)";
        }
        if (busyNanos == 0) {
            return "spin " + spinNanos / 1000 + " µs (yielding)";
        }
        return "spin " + spinNanos / 1000 + " µs (" + busyNanos / 1000 + " µs busy, then yielding)";
    }
}
