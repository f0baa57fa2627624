package io.jfmi.core.collective;

import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.Tuning;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Tags;
import io.jfmi.core.util.Scratch;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * Allreduce.
 *
 * <ul>
 *   <li>{@code recursive_doubling} (small messages, any op): with p = the largest power of two <= N and
 *       r = N - p, the first 2r ranks pair up and the even one hands its data to the odd one and sits out;
 *       the p remaining ranks exchange and combine with partners at distance 1, 2, 4, ... (lower partner's
 *       data on the left, so rank order holds); the odd ranks then hand the result back. log2 p + 2 rounds.
 *   <li>{@code ring} (large messages, commutative ops only): reduce-scatter around the ring (N - 1 steps,
 *       each rank ends owning one fully reduced block), then allgather around the ring (N - 1 steps). Each
 *       rank sends and receives 2 (N - 1)/N of the vector; steps are cut into segments so scratch memory is
 *       one segment, whatever the vector size.
 *   <li>{@code halving_doubling} (commutative ops only): recursive halving reduce-scatter, then recursive doubling
 *       allgather ({@link HalvingDoubling}): the ring's bytes in 2 log2 N steps instead of 2 (N - 1).
 *   <li>{@code reduce_bcast}: reduce to rank 0 then bcast; the large-message choice for non-commutative ops.
 * </ul>
 */
public final class Allreduce {
    private static final int FOLD_ROUND = 0;
    private static final int UNFOLD_ROUND = Tags.MAX_ROUNDS - 1;

    private Allreduce() {
    }

    /** {@code out} may be the same buffer as {@code in}; otherwise the two must not overlap. */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, DataType type, int count,
            ReduceOp op) {
        int bytes = count * type.size();
        // The ring folds each rank's block of the vector separately: a whole-vector op must not run on it.
        Tuning.AllreduceAlgorithm algo = AlgorithmChoice.allreduce(ctx.tuning(), ctx.size(), bytes,
                op.commutative() && op.elementwise(), op.associative());
        if (algo == Tuning.AllreduceAlgorithm.REDUCE_BCAST) {
            Reduce.run(ctx, in, out, type, count, op, 0);
            Bcast.run(ctx, out, bytes, 0);
            return;
        }
        Exchange ex = ctx.begin(OpCode.ALLREDUCE, bytes);
        if (ctx.size() == 1 || count == 0 || algo == Tuning.AllreduceAlgorithm.RECURSIVE_DOUBLING) {
            LocalCopy.copy(in, 0, out, 0, bytes);
        }
        if (ctx.size() == 1 || count == 0) {
            return;
        }
        // The ring and halving-doubling read this rank's vector where they first touch each block and write the
        // partials to out: no copy of the vector first (the JVM's copies took 13.5% of an 8-rank 4 MiB call's CPU,
        // this one the largest; benchmarks/RESULTS.md).
        switch (algo) {
            case RECURSIVE_DOUBLING -> recursiveDoubling(ctx, ex, out, type, count, op);
            case RING -> ring(ctx, ex, in, out, type, count, op);
            case HALVING_DOUBLING -> HalvingDoubling.run(ctx, ex, in, out, type, count, op);
            case AUTO, REDUCE_BCAST -> throw new IllegalStateException("unresolved algorithm " + algo);
            default -> throw new IllegalStateException("unknown allreduce algorithm " + algo);
        }
    }

    private static void recursiveDoubling(CollectiveContext ctx, Exchange ex, ByteBuffer acc, DataType type,
            int count, ReduceOp op) {
        int n = ctx.size();
        int rank = ctx.rank();
        int bytes = count * type.size();
        ByteBuffer tmp = ctx.scratch().get(Scratch.TEMP_B, bytes);
        int pof2 = Integer.highestOneBit(n);
        int rem = n - pof2;
        int newRank;
        if (rank < 2 * rem) {
            if (rank % 2 == 0) {
                ex.send(rank + 1, ctx.tag(FOLD_ROUND), acc, 0, bytes).await();
                newRank = -1;
            } else {
                ex.recv(rank - 1, ctx.tag(FOLD_ROUND), tmp, 0, bytes).await();
                op.apply(tmp, acc, acc, type, count);
                newRank = rank / 2;
            }
        } else {
            newRank = rank - rem;
        }
        if (newRank >= 0) {
            int round = 1;
            for (int mask = 1; mask < pof2; mask <<= 1, round++) {
                int newPartner = newRank ^ mask;
                int partner = newPartner < rem ? newPartner * 2 + 1 : newPartner + rem;
                ex.send(partner, ctx.tag(round), acc, 0, bytes);
                ex.recv(partner, ctx.tag(round), tmp, 0, bytes);
                ex.await();
                if (partner < rank) {
                    op.apply(tmp, acc, acc, type, count);
                } else {
                    op.apply(acc, tmp, acc, type, count);
                }
            }
        }
        if (rank < 2 * rem) {
            if (rank % 2 == 1) {
                ex.send(rank - 1, ctx.tag(UNFOLD_ROUND), acc, 0, bytes).await();
            } else {
                ex.recv(rank + 1, ctx.tag(UNFOLD_ROUND), acc, 0, bytes).await();
            }
        }
    }

    private static void ring(CollectiveContext ctx, Exchange ex, ByteBuffer own, ByteBuffer acc, DataType type,
            int count, ReduceOp op) {
        int n = ctx.size();
        Blocks blocks = Blocks.even(count, n, type.size());
        RingReduceScatter.run(ctx, ex, own, acc, blocks, type, op);
        RingAllgather.run(ctx, ex, acc, blocks, 0);
    }
}
