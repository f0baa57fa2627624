package io.jfmi.benchmarks.collective;

import io.jfmi.core.Communicator;
import org.HdrHistogram.Histogram;

/**
 * The timed loop of the collective benchmarks: a barrier, so that every rank starts together, then one latency sample
 * per call, stored in an array and put into the histogram after the last call and a second barrier. Warm-ups run
 * this same block, each into a fresh histogram, so the timed calls take no path the JIT has not seen. Each such
 * path had cost the first op of a run: a barrier's empty frames, first met after the warm-up, deoptimized the
 * compiled frame writer and reader, and a fresh histogram the compiled loop, which then ran interpreted and were
 * compiled again during the timed calls; the loop and its recording, first run by the timed calls, were compiled
 * during them (see RESULTS.md).
 */
final class TimedCalls {
    private long[] samples = new long[0];
    /** Opened at the first block, by the thread that makes the calls. */
    private RunQueueWait runQueue;
    private long waitedNanos = -1;

    /** A histogram for latencies in ns, up to an hour, 3 significant digits. */
    static Histogram newHistogram() {
        return new Histogram(3_600_000_000_000L, 3);
    }

    /** A barrier, then {@code calls} calls; the latency of each goes into {@code into} once all are done. */
    void run(Communicator comm, BenchOp op, BenchOp.Buffers buffers, int calls, Histogram into) {
        if (runQueue == null) {
            runQueue = RunQueueWait.forCallingThread();
        }
        comm.barrier();
        if (samples.length < calls) {
            samples = new long[calls];
        }
        long waited0 = runQueue.nanos(); // the calls alone: a rank that finishes early waits in the barrier below
        for (int i = 0; i < calls; i++) {
            samples[i] = timeOne(comm, op, buffers);
        }
        waitedNanos = waited0 < 0 ? -1 : runQueue.nanos() - waited0;
        // No rank's bookkeeping may run while another's last call is in flight: on a cold rank it is code run for
        // the first time, and with ranks sharing cores it took the CPU from that call (measured: the last of 300
        // cold calls at 6 ranks took 2-10 ms on three or four ranks in each of three runs; none did after this).
        comm.barrier();
        for (int i = 0; i < calls; i++) {
            into.recordValue(Math.max(1, samples[i]));
        }
    }

    /**
     * How long the calling thread was runnable but waiting for a CPU during the last block's calls (the barriers
     * left out), ns; -1 when the kernel does not tell.
     */
    long waitedNanos() {
        return waitedNanos;
    }

    /** The latencies (ns) of the last block's calls, in call order: valid until the next {@link #run}. */
    long[] samples() {
        return samples;
    }

    /**
     * One call, a method of its own: a warm-up runs the loop above a few times only, too few for the JIT to compile
     * the loop's method (it compiles the running loop alone), but this body thousands of times.
     */
    private static long timeOne(Communicator comm, BenchOp op, BenchOp.Buffers buffers) {
        long t0 = System.nanoTime();
        op.call(comm, buffers);
        return System.nanoTime() - t0;
    }
}
