package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Tags;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * All-to-all personalised exchange: rank r sends block p of its input to rank p and receives rank p's block for
 * r into block p of its output.
 *
 * <ul>
 *   <li>small totals: every send and receive is posted at once and the progress engine overlaps them;</li>
 *   <li>large totals: pairwise exchange, N - 1 steps, in step s rank r sends to r + s and receives from r - s,
 *       so every link carries one message at a time and no rank is flooded.</li>
 * </ul>
 */
public final class Alltoall {
    /** Above this many bytes sent per rank, pairwise steps are used. */
    static final int PAIRWISE_MIN_BYTES = 64 * 1024;

    private Alltoall() {
    }

    public static void run(CollectiveContext ctx, ByteBuffer in, Blocks sendBlocks, ByteBuffer out,
            Blocks recvBlocks) {
        int n = ctx.size();
        int rank = ctx.rank();
        Exchange ex = ctx.begin(OpCode.ALLTOALL, sendBlocks.total());
        LocalCopy.copy(in, sendBlocks.offset(rank), out, recvBlocks.offset(rank), sendBlocks.size(rank));
        if (n == 1) {
            return;
        }
        boolean pairwise = sendBlocks.total() >= PAIRWISE_MIN_BYTES;
        for (int step = 1; step < n; step++) {
            int to = (rank + step) % n;
            int from = (rank - step + n) % n;
            int tag = ctx.tag(pairwise ? step % Tags.MAX_ROUNDS : 0);
            ex.send(to, tag, in, sendBlocks.offset(to), sendBlocks.size(to));
            ex.recv(from, tag, out, recvBlocks.offset(from), recvBlocks.size(from));
            if (pairwise) {
                ex.await();
            }
        }
        ex.await();
    }
}
