package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * Linear gather of (possibly unequal) blocks: every rank sends its block to the root, which posts all N - 1
 * receives at once straight into place, so arrivals overlap.
 */
public final class Gather {
    private Gather() {
    }

    /** {@code out} (root only) receives block r at {@code blocks.offset(r)}. */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, Blocks blocks, int root) {
        int rank = ctx.rank();
        Exchange ex = ctx.begin(OpCode.GATHER, blocks.size(rank));
        if (rank != root) {
            ex.send(root, ctx.tag(0), in, 0, blocks.size(rank)).await();
            return;
        }
        LocalCopy.copy(in, 0, out, blocks.offset(root), blocks.size(root));
        for (int p = 0; p < ctx.size(); p++) {
            if (p != root) {
                ex.recv(p, ctx.tag(0), out, blocks.offset(p), blocks.size(p));
            }
        }
        ex.await();
    }
}
