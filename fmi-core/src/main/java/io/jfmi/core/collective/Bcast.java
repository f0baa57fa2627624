package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * Broadcast from a root.
 *
 * <ul>
 *   <li>{@code binomial} (small messages): with ranks renumbered so the root is 0, a rank receives from the rank
 *       that differs in its lowest set bit, then forwards to rank + 2^j for every lower bit j. ceil(log2 N)
 *       rounds, each carrying the whole message.
 *   <li>{@code scatter_allgather} (large messages, van de Geijn): the root's buffer is cut into N blocks,
 *       scattered down the same binomial tree (each subtree gets only its blocks), then a ring allgather
 *       completes every copy. Each rank sends about 2x the message once instead of log2 N times.
 * </ul>
 *
 * <pre>
 *  N=6, root 0, binomial:  0 -> 4 ;  0 -> 2, 4 -> 5 ;  0 -> 1, 2 -> 3
 * </pre>
 */
public final class Bcast {
    private Bcast() {
    }

    /** Broadcasts bytes 0..bytes of {@code buf} from {@code root}. */
    public static void run(CollectiveContext ctx, ByteBuffer buf, int bytes, int root) {
        int n = ctx.size();
        Exchange ex = ctx.begin(OpCode.BCAST, bytes);
        if (n == 1) {
            return;
        }
        switch (AlgorithmChoice.bcast(ctx.tuning(), n, bytes)) {
            case BINOMIAL -> binomial(ctx, ex, buf, bytes, root);
            case SCATTER_ALLGATHER -> scatterAllgather(ctx, ex, buf, bytes, root);
            case AUTO -> throw new IllegalStateException("AUTO must be resolved before running");
            default -> throw new IllegalStateException("unknown bcast algorithm");
        }
    }

    private static void binomial(CollectiveContext ctx, Exchange ex, ByteBuffer buf, int bytes, int root) {
        int n = ctx.size();
        int vr = Math.floorMod(ctx.rank() - root, n);
        int mask = 1;
        while (mask < n) {
            if ((vr & mask) != 0) {
                ex.recv((vr - mask + root) % n, ctx.tag(0), buf, 0, bytes).await();
                break;
            }
            mask <<= 1;
        }
        for (mask >>= 1; mask > 0; mask >>= 1) {
            if (vr + mask < n) {
                ex.send((vr + mask + root) % n, ctx.tag(0), buf, 0, bytes);
            }
        }
        ex.await();
    }

    private static void scatterAllgather(CollectiveContext ctx, Exchange ex, ByteBuffer buf, int bytes, int root) {
        int n = ctx.size();
        int vr = Math.floorMod(ctx.rank() - root, n);
        Blocks blocks = Blocks.even(bytes, n, 1);
        // Binomial scatter: the subtree of relative rank v owns blocks v .. v + subtree size - 1.
        int mask = 1;
        while (mask < n) {
            if ((vr & mask) != 0) {
                int from = blocks.offset(vr);
                int to = end(blocks, Math.min(vr + mask, n));
                ex.recv((vr - mask + root) % n, ctx.tag(0), buf, from, to - from).await();
                break;
            }
            mask <<= 1;
        }
        for (mask >>= 1; mask > 0; mask >>= 1) {
            if (vr + mask < n) {
                int from = blocks.offset(vr + mask);
                int to = end(blocks, Math.min(vr + 2 * mask, n));
                ex.send((vr + mask + root) % n, ctx.tag(0), buf, from, to - from);
            }
        }
        ex.await();
        RingAllgather.run(ctx, ex, buf, blocks, root);
    }

    /** Byte offset just past block {@code upTo - 1}. */
    private static int end(Blocks blocks, int upTo) {
        return upTo >= blocks.count() ? blocks.total() : blocks.offset(upTo);
    }
}
