package io.jfmi.core.collective;

import io.jfmi.core.Tuning.AlltoallAlgorithm;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Tags;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * All-to-all personalised exchange: rank r sends block p of its input to rank p and receives rank p's block for
 * r into block p of its output.
 *
 * <ul>
 *   <li>an alltoall of small equal blocks over 4 or more ranks ({@link AlgorithmChoice#alltoall}): Bruck's
 *       ceil(log2 N) rounds ({@link BruckAlltoall}), each a single message to one rank, instead of N - 1 messages;
 *       ranks must then all call alltoall (an alltoallv with equal counts is posted or pairwise, as below);</li>
 *   <li>small totals ({@link AlgorithmChoice#alltoall}): every send and receive is posted at once and the progress
 *       engine overlaps them;</li>
 *   <li>large totals: pairwise exchange, N - 1 steps, in step s rank r sends to r + s and receives from r - s,
 *       so every link carries one message at a time and no rank is flooded.</li>
 * </ul>
 */
public final class Alltoall {
    private Alltoall() {
    }

    /** @param equalBlocks called as alltoall (every rank's blocks one size), not as alltoallv */
    public static void run(CollectiveContext ctx, ByteBuffer in, Blocks sendBlocks, ByteBuffer out,
            Blocks recvBlocks, boolean equalBlocks) {
        int n = ctx.size();
        int rank = ctx.rank();
        Exchange ex = ctx.begin(OpCode.ALLTOALL, sendBlocks.total());
        if (n == 1) {
            LocalCopy.copy(in, sendBlocks.offset(rank), out, recvBlocks.offset(rank), sendBlocks.size(rank));
            return;
        }
        AlltoallAlgorithm algorithm = AlgorithmChoice.alltoall(ctx.tuning(), n, sendBlocks.total(), equalBlocks);
        if (algorithm == AlltoallAlgorithm.BRUCK) {
            BruckAlltoall.run(ctx, ex, in, out, sendBlocks.size(rank));
            return;
        }
        // The rank's own block is copied by the first step's wait, in the time it would spin for its peer.
        ex.copyWhileWaiting(in, sendBlocks.offset(rank), out, recvBlocks.offset(rank), sendBlocks.size(rank));
        // Ranks of an alltoallv may choose differently (each looks at its own total): the tag depends on the step
        // only, which both ends of a pair agree on, so a posted rank and a pairwise rank still match.
        boolean pairwise = algorithm == AlltoallAlgorithm.PAIRWISE;
        for (int step = 1; step < n; step++) {
            int to = (rank + step) % n;
            int from = (rank - step + n) % n;
            int tag = ctx.tag(step % Tags.MAX_ROUNDS);
            ex.send(to, tag, in, sendBlocks.offset(to), sendBlocks.size(to));
            ex.recv(from, tag, out, recvBlocks.offset(from), recvBlocks.size(from));
            if (pairwise) {
                ex.await();
            }
        }
        ex.await();
    }
}
