package io.jfmi.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the data path of the common collectives between two ranks inside this JVM (real loopback sockets, no
 * network beyond), so that a cold JVM's first real calls run code that is already loaded and compiled. Meant for
 * start-up, e.g. a Lambda function's Init (or before a SnapStart snapshot): in the benchmarks a cold rank's first
 * 300 calls averaged 15-90x a warm call without it (C1 only, 2 ranks).
 */
public final class Warmup {
    /** What a warm-up did. */
    public record Report(int rounds, long millis) {
    }

    private static final int RANKS = 2;
    private static final int LARGE_DOUBLES = 64 * 1024; // 512 KiB: the ring and the segmented paths

    private Warmup() {
    }

    /**
     * Runs up to {@code rounds} rounds of barrier, bcast, allgather, gather, alltoall, reduce and allreduce (small,
     * and one large allreduce every 16 rounds), stopping early when {@code budget} has passed.
     *
     * @throws FmiException when the in-process ranks fail (nothing outside this JVM is affected)
     */
    public static Report run(int rounds, Duration budget) {
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0, got " + rounds);
        }
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        LocalJob job = new LocalJob(RANKS);
        int[] done = new int[RANKS];
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread[] threads = new Thread[RANKS];
        for (int r = 0; r < RANKS; r++) {
            int rank = r;
            threads[r] = new Thread(() -> {
                CommunicatorOptions o = CommunicatorOptions.builder().jobId("jfmi-warmup").rank(rank)
                        .worldSize(RANKS).operationTimeout(Duration.ofSeconds(10)).joinTimeout(Duration.ofSeconds(10))
                        .build();
                try (Communicator c = Communicator.connect(o, job)) {
                    done[rank] = rounds(c, rounds, deadline);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "jfmi-warmup-" + r);
            threads[r].setDaemon(true);
            threads[r].start();
        }
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, budget.toMillis()) + 20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FmiException("interrupted while warming up the collectives");
            }
        }
        if (failure.get() != null) {
            throw new FmiException("warming up the collectives failed: " + failure.get().getMessage(), failure.get());
        }
        return new Report(Math.min(done[0], done[1]), (System.nanoTime() - start) / 1_000_000);
    }

    private static int rounds(Communicator c, int rounds, long deadline) {
        long[] one = new long[1];
        long[] sum = new long[1];
        long[] all = new long[RANKS];
        long[] blocks = new long[RANKS];
        long[] shuffled = new long[RANKS];
        double[] large = new double[LARGE_DOUBLES];
        double[] largeSum = new double[LARGE_DOUBLES];
        DataBuffer oneBuf = DataBuffer.of(one);
        DataBuffer sumBuf = DataBuffer.of(sum);
        DataBuffer allBuf = DataBuffer.of(all);
        DataBuffer blockBuf = DataBuffer.of(blocks);
        DataBuffer shuffledBuf = DataBuffer.of(shuffled);
        DataBuffer largeBuf = DataBuffer.of(large);
        DataBuffer largeSumBuf = DataBuffer.of(largeSum);
        int i = 0;
        // Both ranks must run the same number of rounds: rank 0 decides each round whether to go on.
        long[] goOn = new long[1];
        DataBuffer goOnBuf = DataBuffer.of(goOn);
        while (true) {
            goOn[0] = i < rounds && System.nanoTime() < deadline ? 1 : 0;
            c.bcast(goOnBuf, 0);
            if (goOn[0] == 0) {
                return i;
            }
            one[0] = c.rank() + i;
            c.barrier();
            c.allreduce(oneBuf, sumBuf, ReduceOp.SUM);
            c.allgather(oneBuf, allBuf);
            c.gather(oneBuf, c.rank() == 0 ? allBuf : null, 0);
            c.alltoall(blockBuf, shuffledBuf);
            c.reduce(oneBuf, c.rank() == 0 ? sumBuf : null, ReduceOp.MAX, 0);
            if (i % 16 == 0) {
                c.allreduce(largeBuf, largeSumBuf, ReduceOp.SUM);
            }
            i++;
        }
    }
}
