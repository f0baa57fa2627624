package io.jfmi.core.collective;

import io.jfmi.core.channel.Exchange;
import io.jfmi.core.util.Scratch;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * Allgather of equal blocks: afterwards {@code out} holds rank r's block at offset r * block on every rank.
 *
 * <ul>
 *   <li>{@code bruck}: ceil(log2 N) rounds, any N. Blocks are gathered rotated (own block first) in scratch:
 *       in round k a rank sends its first min(2^k, N - 2^k) blocks to rank - 2^k and receives as many from
 *       rank + 2^k; a final rotation puts them in rank order. Best for small blocks (latency bound).</li>
 *   <li>{@code ring}: N - 1 steps ({@link RingAllgather}); bandwidth optimal for large blocks.</li>
 *   <li>{@code recursive doubling}: log2 N steps for a power-of-two N, in place: in the step of distance d a rank
 *       swaps the d blocks of its aligned group with the partner rank XOR d, whose group is the neighbouring one.
 *       Bruck's rounds without its scratch and final rotation; other N run the ring. The default for a
 *       power-of-two N up to {@link io.jfmi.core.Tuning#ALLGATHER_RECURSIVE_DOUBLING_MAX_BLOCK_BYTES} a block.</li>
 * </ul>
 */
public final class Allgather {
    private Allgather() {
    }

    /** {@code in} holds this rank's block at 0..block; {@code out} receives N blocks (may not alias {@code in}). */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, int block) {
        int n = ctx.size();
        long total = (long) block * n;
        Exchange ex = ctx.begin(OpCode.ALLGATHER, block);
        LocalCopy.copy(in, 0, out, ctx.rank() * block, block);
        if (n == 1) {
            return;
        }
        switch (AlgorithmChoice.allgather(ctx.tuning(), n, total)) {
            case BRUCK -> bruck(ctx, ex, out, block);
            case RING -> RingAllgather.run(ctx, ex, out, Blocks.ofCounts(equalCounts(n, block), 1), 0);
            case RECURSIVE_DOUBLING -> recursiveDoubling(ctx, ex, out, block);
            case AUTO -> throw new IllegalStateException("AUTO must be resolved before running");
            default -> throw new IllegalStateException("unknown allgather algorithm");
        }
    }

    /**
     * Allgather of unequal blocks: rank r contributes {@code blocks.size(r)} bytes from {@code in}; {@code out}
     * receives every block at {@code blocks.offset(r)}. Ring algorithm.
     */
    public static void runV(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, Blocks blocks) {
        Exchange ex = ctx.begin(OpCode.ALLGATHER, blocks.total());
        int rank = ctx.rank();
        LocalCopy.copy(in, 0, out, blocks.offset(rank), blocks.size(rank));
        if (ctx.size() > 1) {
            RingAllgather.run(ctx, ex, out, blocks, 0);
        }
    }

    private static int[] equalCounts(int n, int block) {
        int[] counts = new int[n];
        java.util.Arrays.fill(counts, block);
        return counts;
    }

    /** Power-of-two N only (see {@link AlgorithmChoice#allgather}). */
    private static void recursiveDoubling(CollectiveContext ctx, Exchange ex, ByteBuffer out, int block) {
        int rank = ctx.rank();
        int round = 0;
        for (int distance = 1; distance < ctx.size(); distance <<= 1, round++) {
            int partner = rank ^ distance;
            int mine = rank & -distance; // first rank of this rank's group of `distance` gathered blocks
            int theirs = partner & -distance;
            ex.send(partner, ctx.tag(round), out, mine * block, distance * block);
            ex.recv(partner, ctx.tag(round), out, theirs * block, distance * block);
            ex.await();
        }
    }

    private static void bruck(CollectiveContext ctx, Exchange ex, ByteBuffer out, int block) {
        int n = ctx.size();
        int rank = ctx.rank();
        ByteBuffer rotated = ctx.scratch().get(Scratch.TEMP_A, n * block);
        LocalCopy.copy(out, rank * block, rotated, 0, block);
        int round = 0;
        for (int distance = 1; distance < n; distance <<= 1, round++) {
            int blocks = Math.min(distance, n - distance);
            ex.send((rank - distance + n) % n, ctx.tag(round), rotated, 0, blocks * block);
            ex.recv((rank + distance) % n, ctx.tag(round), rotated, distance * block, blocks * block);
            ex.await();
        }
        for (int i = 1; i < n; i++) {
            LocalCopy.copy(rotated, i * block, out, ((rank + i) % n) * block, block);
        }
    }
}
