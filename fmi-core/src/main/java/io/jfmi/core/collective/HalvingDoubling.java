package io.jfmi.core.collective;

import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Tags;
import io.jfmi.core.util.Scratch;
import java.nio.ByteBuffer;

/**
 * Allreduce by recursive halving, then recursive doubling (Rabenseifner's algorithm; commutative element-wise ops).
 * With p the largest power of two <= N and r = N - p, the first 2r ranks pair up and the even one folds its vector
 * into the odd one and sits out. The p remaining ranks split the vector into p blocks; in the halving step of
 * distance d (1, 2, ..., p/2) a rank keeps the half of its current blocks on its side of the partner (rank XOR d),
 * sends the other half and folds the partner's partial of the kept half in, so after log2 p steps it holds one
 * block reduced over all ranks. The doubling steps retrace the halving ones (p/2, ..., 2, 1), swapping reduced
 * halves until every rank has the vector; the odd ranks hand it to their even partners.
 *
 * <p>Each rank sends and receives 2 (p - 1)/p of the vector, as in the ring, but in 2 log2 p steps instead of
 * 2 (N - 1): with more ranks than cores every step waits for a partner to be scheduled, so fewer steps cost less.
 * The largest exchange (half the vector) goes to rank XOR 1, which ranks placed on cores round robin have on
 * another core; halving from distance p/2 down put it on the same core and measured slower than the ring at
 * 4 ranks (benchmarks/RESULTS.md). Halving steps travel in segments, so scratch is one segment whatever the
 * vector size.
 */
final class HalvingDoubling {
    private static final int UNFOLD_ROUND = Tags.MAX_ROUNDS - 1;
    /** Tag rounds of the fold's and halving steps' pieces (wrapping: messages between two ranks stay in order). */
    private static final int HALVING_SPAN = (Tags.MAX_ROUNDS - 1) / 2;
    private static final int DOUBLING_FIRST = HALVING_SPAN;

    private final CollectiveContext ctx;
    private final Exchange ex;
    private final ByteBuffer acc;
    /** Where this rank's partial lies: its own vector until the first fold has written {@link #acc}. */
    private ByteBuffer partial;
    private final DataType type;
    private final ReduceOp op;
    private final int seg;
    private final ByteBuffer tmp;

    private HalvingDoubling(CollectiveContext ctx, Exchange ex, ByteBuffer own, ByteBuffer acc, DataType type,
            int count, ReduceOp op) {
        this.ctx = ctx;
        this.ex = ex;
        this.acc = acc;
        this.partial = own;
        this.type = type;
        this.op = op;
        int bytes = count * type.size();
        this.seg = Segments.size(ctx.tuning().segmentBytes(), type.size());
        this.tmp = ctx.scratch().get(Scratch.TEMP_B, Math.min(seg, bytes));
    }

    /**
     * Writes to {@code acc} the reduction over all ranks of their {@code own} vectors (count elements, at least one;
     * at least two ranks). {@code own} is read, never written; it may be {@code acc} itself, else must not overlap
     * it.
     */
    static void run(CollectiveContext ctx, Exchange ex, ByteBuffer own, ByteBuffer acc, DataType type, int count,
            ReduceOp op) {
        new HalvingDoubling(ctx, ex, own, acc, type, count, op).run(count);
    }

    private void run(int count) {
        int n = ctx.size();
        int rank = ctx.rank();
        int bytes = count * type.size();
        int pof2 = Integer.highestOneBit(n);
        int rem = n - pof2;
        int newRank = rank - rem;
        if (rank < 2 * rem) {
            if (rank % 2 == 0) {
                exchangeAndFold(rank + 1, 0, 0, bytes, 0, -1);
                newRank = -1;
            } else {
                exchangeAndFold(rank - 1, 0, 0, -1, 0, bytes);
                newRank = rank / 2;
            }
        }
        if (newRank >= 0) {
            Blocks blocks = Blocks.even(count, pof2, type.size());
            int steps = Integer.numberOfTrailingZeros(pof2);
            int[] los = new int[steps];
            int[] his = new int[steps];
            int lo = 0;
            int hi = pof2;
            for (int step = 0; step < steps; step++) {
                int distance = 1 << step;
                int partner = realRank(newRank ^ distance, rem);
                int mid = (lo + hi) >>> 1;
                boolean keepLow = (newRank & distance) == 0;
                los[step] = lo;
                his[step] = hi;
                int keepFrom = keepLow ? lo : mid;
                int keepTo = keepLow ? mid : hi;
                exchangeAndFold(partner, step + 1, end(blocks, keepLow ? mid : lo), end(blocks, keepLow ? hi : mid),
                        end(blocks, keepFrom), end(blocks, keepTo));
                lo = keepFrom;
                hi = keepTo;
            }
            for (int step = steps - 1; step >= 0; step--) {
                int partner = realRank(newRank ^ (1 << step), rem);
                int mid = (los[step] + his[step]) >>> 1;
                int theirFrom = lo == los[step] ? mid : los[step];
                int theirTo = lo == los[step] ? his[step] : mid;
                int tag = ctx.tag(DOUBLING_FIRST + step % (UNFOLD_ROUND - DOUBLING_FIRST));
                int at = end(blocks, lo);
                ex.send(partner, tag, acc, at, end(blocks, hi) - at);
                int from = end(blocks, theirFrom);
                ex.recv(partner, tag, acc, from, end(blocks, theirTo) - from);
                ex.await();
                lo = los[step];
                hi = his[step];
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

    /** The rank of the p-rank group's member {@code newRank}: the odd rank of a folded pair, or past the pairs. */
    private static int realRank(int newRank, int rem) {
        return newRank < rem ? newRank * 2 + 1 : newRank + rem;
    }

    /** Where block {@code i} starts in bytes; the vector's end for i = the block count. */
    private static int end(Blocks blocks, int i) {
        return i == blocks.count() ? blocks.total() : blocks.offset(i);
    }

    /**
     * Sends this rank's partial of [sendFrom, sendTo) to {@code peer} and folds the peer's partial of [recvFrom,
     * recvTo) into it, writing {@link #acc}; segment by segment (a segment's tag is a function of the step and the
     * piece, so both ends agree). A range whose end is negative is not sent or received.
     */
    private void exchangeAndFold(int peer, int step, int sendFrom, int sendTo, int recvFrom, int recvTo) {
        int sendBytes = sendTo - sendFrom;
        int recvBytes = recvTo - recvFrom;
        int sendPieces = sendTo < 0 ? 0 : Segments.count(sendBytes, seg);
        int recvPieces = recvTo < 0 ? 0 : Segments.count(recvBytes, seg);
        int esize = type.size();
        for (int j = 0; j < Math.max(sendPieces, recvPieces); j++) {
            int tag = ctx.tag((step * 31 + j) % HALVING_SPAN);
            int recvLen = 0;
            if (j < sendPieces) {
                int off = j * seg;
                ex.send(peer, tag, partial, sendFrom + off, Math.min(seg, sendBytes - off));
            }
            if (j < recvPieces) {
                recvLen = Math.min(seg, recvBytes - j * seg);
                ex.recv(peer, tag, tmp, 0, recvLen);
            }
            ex.await();
            if (recvLen > 0) {
                int at = recvFrom + j * seg;
                op.apply(partial, at, tmp, 0, acc, at, type, recvLen / esize);
            }
        }
        if (recvPieces > 0) {
            partial = acc; // what this rank keeps is folded into acc; what it sent it no longer needs
        }
    }
}
