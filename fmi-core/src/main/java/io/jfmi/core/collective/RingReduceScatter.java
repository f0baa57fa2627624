package io.jfmi.core.collective;

import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Tags;
import io.jfmi.core.util.Scratch;
import java.nio.ByteBuffer;

/**
 * Ring reduce-scatter (commutative ops): in step s rank r sends its partial of block r-s-1 to its right
 * neighbour and folds the left neighbour's partial of block r-s-2 into its own. After N - 1 steps rank r holds
 * block r reduced over all ranks. Each block is first touched once per rank (sent raw in step 0, or folded), so
 * this rank's vector is read from where it lies and no working copy of it is made first. Blocks travel in
 * segments so scratch is one segment.
 *
 * <pre>
 *  N=3   step 0: 0 sends b2, 1 sends b0, 2 sends b1     step 1: 0 sends b1, 1 sends b2, 2 sends b0
 *        then rank 0 owns b0, rank 1 owns b1, rank 2 owns b2, each summed over 3 ranks
 * </pre>
 * Uses tag rounds 0..{@link #ROUNDS}-1, wrapping: messages between two ranks stay in order, so a reused round
 * number never meets an older message.
 */
final class RingReduceScatter {
    static final int ROUNDS = Tags.MAX_ROUNDS / 2;

    private RingReduceScatter() {
    }

    /**
     * @param own this rank's vector, read where a block is first sent or folded (every block is, once); may be
     *            {@code acc} itself, else must not overlap it
     * @param acc receives the partials; block r ends fully reduced (other blocks hold partials or nothing)
     */
    static void run(CollectiveContext ctx, Exchange ex, ByteBuffer own, ByteBuffer acc, Blocks blocks, DataType type,
            ReduceOp op) {
        int n = ctx.size();
        int rank = ctx.rank();
        int right = (rank + 1) % n;
        int left = (rank - 1 + n) % n;
        int esize = type.size();
        int seg = Segments.size(ctx.tuning().segmentBytes(), esize);
        ByteBuffer tmp = ctx.scratch().get(Scratch.TEMP_B, seg);
        for (int step = 0; step < n - 1; step++) {
            int sendBlock = Math.floorMod(rank - step - 1, n);
            int recvBlock = Math.floorMod(rank - step - 2, n);
            int sendBytes = blocks.size(sendBlock);
            int recvBytes = blocks.size(recvBlock);
            int sendPieces = Segments.count(sendBytes, seg);
            int recvPieces = Segments.count(recvBytes, seg);
            for (int j = 0; j < Math.max(sendPieces, recvPieces); j++) {
                // A function of (step, piece): both ends agree even when their piece counts differ.
                int tag = ctx.tag((step * 31 + j) % ROUNDS);
                int recvLen = 0;
                if (j < sendPieces) {
                    int off = j * seg;
                    // step 0 sends a block as this rank holds it; later ones, the block folded the step before
                    ex.send(right, tag, step == 0 ? own : acc, blocks.offset(sendBlock) + off,
                            Math.min(seg, sendBytes - off));
                }
                if (j < recvPieces) {
                    recvLen = Math.min(seg, recvBytes - j * seg);
                    ex.recv(left, tag, tmp, 0, recvLen);
                }
                ex.await();
                if (recvLen > 0) {
                    int at = blocks.offset(recvBlock) + j * seg;
                    op.apply(own, at, tmp, 0, acc, at, type, recvLen / esize);
                }
            }
        }
    }
}
