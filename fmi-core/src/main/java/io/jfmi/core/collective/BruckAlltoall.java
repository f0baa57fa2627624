package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.core.util.Scratch;
import java.nio.ByteBuffer;

/**
 * Bruck's alltoall of equal blocks: ceil(log2 N) rounds of one message each way instead of N - 1, at the price of
 * forwarding blocks (each travels once per set bit of its distance), so it is for small blocks, where a message's
 * fixed cost (a system call, a wake-up) dwarfs its bytes.
 *
 * <p>The blocks are first rotated so that index i holds the block for rank + i. In the round of distance
 * d = 1, 2, 4, ... every index with bit d set moves d ranks on: packed into one message to rank + d, while the same
 * indices arrive from rank - d. After the last round index i holds the block that rank - i sent to this rank.
 */
final class BruckAlltoall {
    private BruckAlltoall() {
    }

    /** {@code in} and {@code out} hold N blocks of {@code block} bytes in rank order; they may not alias. */
    static void run(CollectiveContext ctx, Exchange ex, ByteBuffer in, ByteBuffer out, int block) {
        int n = ctx.size();
        int rank = ctx.rank();
        ByteBuffer rotated = ctx.scratch().get(Scratch.TEMP_A, n * block);
        for (int i = 1; i < n; i++) {
            LocalCopy.copy(in, ((rank + i) % n) * block, rotated, i * block, block);
        }
        LocalCopy.copy(in, rank * block, out, rank * block, block);
        int mostMoving = (n / 2) * block;
        ByteBuffer outgoing = ctx.scratch().get(Scratch.TEMP_B, mostMoving);
        ByteBuffer incoming = ctx.scratch().get(Scratch.TEMP_C, mostMoving);
        int round = 0;
        for (int distance = 1; distance < n; distance <<= 1, round++) {
            int moving = shuttle(rotated, outgoing, true, n, distance, block);
            ex.send((rank + distance) % n, ctx.tag(round), outgoing, 0, moving * block);
            ex.recv((rank - distance + n) % n, ctx.tag(round), incoming, 0, moving * block);
            ex.await();
            shuttle(rotated, incoming, false, n, distance, block);
        }
        for (int i = 1; i < n; i++) {
            LocalCopy.copy(rotated, i * block, out, ((rank - i + n) % n) * block, block);
        }
    }

    /**
     * Copies the blocks whose index has bit {@code distance} set between their places in {@code rotated} and
     * {@code packed} (one after another in index order): into {@code packed} when packing, back when not.
     * Returns how many blocks moved.
     */
    private static int shuttle(ByteBuffer rotated, ByteBuffer packed, boolean pack, int n, int distance, int block) {
        int moving = 0;
        for (int i = distance; i < n; i++) {
            if ((i & distance) != 0) {
                if (pack) {
                    LocalCopy.copy(rotated, i * block, packed, moving * block, block);
                } else {
                    LocalCopy.copy(packed, moving * block, rotated, i * block, block);
                }
                moving++;
            }
        }
        return moving;
    }
}
