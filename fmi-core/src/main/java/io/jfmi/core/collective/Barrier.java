package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.protocol.OpCode;

/**
 * Dissemination barrier: in round k every rank signals rank + 2^k and waits for rank - 2^k (mod N), so after
 * ceil(log2 N) rounds each rank has transitively heard from all others. Any N >= 1; empty messages.
 *
 * <pre>
 *  N=5  round 0: 0->1 1->2 2->3 3->4 4->0
 *       round 1: 0->2 1->3 2->4 3->0 4->1
 *       round 2: 0->4 1->0 2->1 3->2 4->3
 * </pre>
 */
public final class Barrier {
    private Barrier() {
    }

    public static void run(CollectiveContext ctx) {
        int n = ctx.size();
        int rank = ctx.rank();
        Exchange ex = ctx.begin(OpCode.BARRIER, 0);
        if (n == 1) {
            return;
        }
        int round = 0;
        for (int distance = 1; distance < n; distance <<= 1, round++) {
            int to = (rank + distance) % n;
            int from = (rank - distance + n) % n;
            ex.send(to, ctx.tag(round), CollectiveContext.empty(), 0, 0);
            ex.recv(from, ctx.tag(round), CollectiveContext.empty(), 0, 0);
            ex.await();
        }
    }
}
