package io.jfmi.core.collective;

import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.util.Scratch;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * Inclusive scan (rank r gets x0 op ... op xr) and exclusive scan (rank r gets x0 op ... op x(r-1); rank 0's
 * result is left untouched), by recursive doubling for any N: in round k a rank exchanges its partial (the
 * reduction over its aligned group of 2^k ranks) with the rank whose number differs in bit k, if it exists.
 * Lower partners' data goes on the left, so non-commutative ops keep rank order. ceil(log2 N) rounds.
 */
public final class Scan {
    private Scan() {
    }

    /** {@code out} may be the same buffer as {@code in}. */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, DataType type, int count,
            ReduceOp op, boolean exclusive) {
        int n = ctx.size();
        int rank = ctx.rank();
        int bytes = count * type.size();
        Exchange ex = ctx.begin(OpCode.SCAN, bytes);
        ByteBuffer partial = ctx.scratch().get(Scratch.TEMP_A, bytes);
        ByteBuffer incoming = ctx.scratch().get(Scratch.TEMP_B, bytes);
        LocalCopy.copy(in, 0, partial, 0, bytes);
        if (!exclusive) {
            LocalCopy.copy(in, 0, out, 0, bytes);
        }
        boolean haveExclusive = false;
        int round = 0;
        for (int mask = 1; mask < n; mask <<= 1, round++) {
            int partner = rank ^ mask;
            if (partner >= n) {
                continue;
            }
            ex.send(partner, ctx.tag(round), partial, 0, bytes);
            ex.recv(partner, ctx.tag(round), incoming, 0, bytes);
            ex.await();
            if (partner < rank) {
                op.apply(incoming, partial, partial, type, count);
                if (!exclusive) {
                    op.apply(incoming, out, out, type, count);
                } else if (haveExclusive) {
                    op.apply(incoming, out, out, type, count);
                } else {
                    LocalCopy.copy(incoming, 0, out, 0, bytes);
                    haveExclusive = true;
                }
            } else {
                op.apply(partial, incoming, partial, type, count);
            }
        }
    }
}
