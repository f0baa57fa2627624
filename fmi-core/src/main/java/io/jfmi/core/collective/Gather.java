package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.core.wire.OpCode;
import java.nio.ByteBuffer;

/**
 * Linear gather of equal blocks: every rank sends its block to the root, which posts all N - 1 receives at once
 * straight into place, so arrivals overlap.
 */
public final class Gather {
    private Gather() {
    }

    /** {@code out} (root only) receives N blocks of {@code block} bytes in rank order. */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, int block, int root) {
        int n = ctx.size();
        int rank = ctx.rank();
        Exchange ex = ctx.begin(OpCode.GATHER, block);
        if (rank != root) {
            ex.send(root, ctx.tag(0), in, 0, block);
            ex.await();
            return;
        }
        Allgather.copy(in, 0, out, rank * block, block);
        for (int p = 0; p < n; p++) {
            if (p != root) {
                ex.recv(p, ctx.tag(0), out, p * block, block);
            }
        }
        ex.await();
    }
}
