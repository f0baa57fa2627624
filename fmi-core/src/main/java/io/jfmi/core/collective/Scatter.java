package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * Linear scatter: the root posts every block's send at once (they progress in parallel over the links) and
 * copies its own; other ranks receive straight into place.
 */
public final class Scatter {
    private Scatter() {
    }

    /** {@code in} (root only) holds the blocks laid out by {@code blocks}; {@code out} receives this rank's. */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, Blocks blocks, int root) {
        int rank = ctx.rank();
        Exchange ex = ctx.begin(OpCode.SCATTER, blocks.size(rank));
        if (rank != root) {
            ex.recv(root, ctx.tag(0), out, 0, blocks.size(rank)).await();
            return;
        }
        for (int p = 0; p < ctx.size(); p++) {
            if (p != root) {
                ex.send(p, ctx.tag(0), in, blocks.offset(p), blocks.size(p));
            }
        }
        LocalCopy.copy(in, blocks.offset(root), out, 0, blocks.size(root));
        ex.await();
    }
}
