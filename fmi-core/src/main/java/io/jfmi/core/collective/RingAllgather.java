package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Tags;
import java.nio.ByteBuffer;

/**
 * Ring allgather of (possibly unequal) blocks, in place: ranks sit on a ring starting at {@code root}; the rank
 * at position p starts with block p; in step s it passes block p-s to its right neighbour and receives block
 * p-s-1 from its left, straight into place. N - 1 steps; each rank receives everything but its own block once.
 * Uses tag rounds {@link RingReduceScatter#ROUNDS} and up (wrapping), so it can follow a ring reduce-scatter in
 * the same call.
 */
final class RingAllgather {
    private RingAllgather() {
    }

    static void run(CollectiveContext ctx, Exchange ex, ByteBuffer buf, Blocks blocks, int root) {
        int n = ctx.size();
        int rank = ctx.rank();
        int pos = Math.floorMod(rank - root, n);
        int right = (rank + 1) % n;
        int left = (rank - 1 + n) % n;
        int span = Tags.MAX_ROUNDS - 1 - RingReduceScatter.ROUNDS;
        for (int step = 0; step < n - 1; step++) {
            int sendBlock = Math.floorMod(pos - step, n);
            int recvBlock = Math.floorMod(pos - step - 1, n);
            int tag = ctx.tag(RingReduceScatter.ROUNDS + step % span);
            ex.send(right, tag, buf, blocks.offset(sendBlock), blocks.size(sendBlock));
            ex.recv(left, tag, buf, blocks.offset(recvBlock), blocks.size(recvBlock));
            ex.await();
        }
    }
}
