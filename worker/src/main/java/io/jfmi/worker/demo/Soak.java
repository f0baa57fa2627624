package io.jfmi.worker.demo;

import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.ReduceOp;
import java.io.PrintStream;

/**
 * Runs verified rounds for a while (an 8-byte bcast, an allreduce of {@code longs} elements, a barrier): a steady job
 * to kill ranks in, break links under, or watch.
 */
public final class Soak {
    private Soak() {
    }

    /** Returns 0 when every round gave the right sum, 3 otherwise. */
    public static int run(Communicator comm, double seconds, int longs, PrintStream out) {
        comm.barrier();
        out.println("soak started");
        out.flush();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long rounds = 0;
        long n = comm.size();
        long[] in = new long[longs];
        long[] sum = new long[longs];
        long[] goOn = new long[1];
        // Rank 0's clock decides for all: ranks that each watched their own clock could disagree on the last round.
        while (true) {
            goOn[0] = System.nanoTime() < end ? 1 : 0;
            comm.bcast(DataBuffer.of(goOn), 0);
            if (goOn[0] == 0) {
                break;
            }
            for (int i = 0; i < in.length; i++) {
                in[i] = rounds * 1000 + i + comm.rank();
            }
            comm.allreduce(DataBuffer.of(in), DataBuffer.of(sum), ReduceOp.SUM);
            for (int i = 0; i < sum.length; i++) {
                long expected = n * (rounds * 1000 + i) + n * (n - 1) / 2;
                if (sum[i] != expected) {
                    out.printf("ERROR: round %d element %d: got %d, expected %d%n", rounds, i, sum[i], expected);
                    return 3;
                }
            }
            comm.barrier();
            rounds++;
        }
        out.printf("soak finished: %d verified rounds of %d bytes%s%n", rounds, longs * 8L,
                comm.healedLinks() == 0 ? "" : "; " + comm.healedLinks() + " direct links moved to the relay");
        return 0;
    }
}
