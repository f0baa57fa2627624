package io.jfmi.core.collective;

import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.util.Scratch;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * Reduce-scatter: the element-wise reduction of every rank's vector of N blocks, with block r delivered to rank
 * r. Commutative ops use the ring ({@link RingReduceScatter}), which reads {@code in} and folds into scratch;
 * non-commutative ops reduce in rank order to rank 0 and scatter the blocks.
 */
public final class ReduceScatter {
    private ReduceScatter() {
    }

    /**
     * @param in     N blocks laid out by {@code blocks} (element counts per rank)
     * @param out    receives this rank's block
     */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, DataType type, Blocks blocks,
            ReduceOp op) {
        int rank = ctx.rank();
        int total = blocks.total();
        if (!op.commutative() || !op.associative()) {
            ByteBuffer reduced = ctx.scratch().get(Scratch.TEMP_C, total);
            Reduce.run(ctx, in, reduced, type, total / type.size(), op, 0);
            Scatter.run(ctx, reduced, out, blocks, 0);
            return;
        }
        Exchange ex = ctx.begin(OpCode.REDUCE_SCATTER, total);
        if (ctx.size() == 1) {
            LocalCopy.copy(in, 0, out, 0, total);
            return;
        }
        ByteBuffer work = ctx.scratch().get(Scratch.TEMP_A, total);
        RingReduceScatter.run(ctx, ex, in, work, blocks, type, op);
        LocalCopy.copy(work, blocks.offset(rank), out, 0, blocks.size(rank));
    }
}
