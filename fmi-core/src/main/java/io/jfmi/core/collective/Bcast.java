package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.core.wire.OpCode;
import java.nio.ByteBuffer;

/**
 * Binomial-tree broadcast: with ranks renumbered so the root is 0, a rank receives from the rank that differs in
 * its lowest set bit, then forwards to rank + 2^j for every lower bit j. ceil(log2 N) rounds, any N >= 1.
 *
 * <pre>
 *  N=6, root 0:  0 -> 4 ;  0 -> 2, 4 -> 5 ;  0 -> 1, 2 -> 3
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
        int vr = (ctx.rank() - root + n) % n;
        int mask = 1;
        while (mask < n) {
            if ((vr & mask) != 0) {
                ex.recv((vr - mask + root) % n, ctx.tag(0), buf, 0, bytes);
                ex.await();
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
}
