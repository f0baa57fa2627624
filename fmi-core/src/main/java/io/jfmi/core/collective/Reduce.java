package io.jfmi.core.collective;

import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Tags;
import io.jfmi.core.util.ByteSizes;
import io.jfmi.core.util.Scratch;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * Reduce to a root.
 *
 * <ul>
 *   <li>{@code binomial}: ceil(log2 N) rounds. With ranks renumbered relative to the tree root, in round k a rank
 *       whose bit k is set sends its partial result to rank - 2^k and stops; the others fold in the partial of
 *       rank + 2^k on the right. Partials always cover contiguous rank ranges, left before right, so the result
 *       is in rank order. For non-commutative ops the tree is rooted at rank 0 (where relative order is real
 *       order) and the result is then sent to the root. Vectors of an element-wise op larger than one segment
 *       ({@code Tuning.segmentBytes}) go through the tree segment by segment: a rank folds segment s of its
 *       children and passes it up while segment s + 1 is on its way, so the tree's levels work at once instead of
 *       each waiting for the whole vector of the level below. The first fold reads this rank's input directly,
 *       and the root folds into the caller's output: no copies besides the transfers and folds.</li>
 *   <li>{@code halving}: the same, over the tree whose distances halve ({@link ReduceTree}): the folding is done
 *       by the low half of the ranks instead of the even ones, which spreads it over the cores of ranks placed
 *       round robin (measured with 4 and 8 ranks bound to 2 cores: 64 KiB and 1 MiB reduces 0.58-0.79x the time,
 *       the cores' idle share from 14-25% to 0-3%; unbound level within noise; benchmarks/RESULTS.md).
 *       Commutative ops only; the default for them.</li>
 *   <li>{@code binary}: the same over the binary tree ({@link ReduceTree}): at most two partials per rank, the
 *       root's included. Commutative ops only.</li>
 *   <li>{@code linear}: the root receives every contribution and folds them strictly left to right; the only
 *       correct choice for non-associative ops.</li>
 * </ul>
 */
public final class Reduce {
    private Reduce() {
    }

    /**
     * @param in  this rank's contribution, bytes 0..count*size
     * @param out the result, written at the root only (ignored elsewhere; may be null there)
     */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, DataType type, int count,
            ReduceOp op, int root) {
        int bytes = count * type.size();
        Exchange ex = ctx.begin(OpCode.REDUCE, bytes);
        if (ctx.size() == 1) {
            LocalCopy.copy(in, 0, out, 0, bytes);
            return;
        }
        switch (AlgorithmChoice.reduce(ctx.tuning(), ctx.size(), bytes, op.associative(), op.commutative())) {
            case BINOMIAL -> tree(ctx, ex, in, out, type, count, op, root, ReduceTree.Shape.DOUBLING);
            case HALVING -> tree(ctx, ex, in, out, type, count, op, root, ReduceTree.Shape.HALVING);
            case BINARY -> tree(ctx, ex, in, out, type, count, op, root, ReduceTree.Shape.BINARY);
            case LINEAR -> linear(ctx, ex, in, out, type, count, op, root);
            case AUTO -> throw new IllegalStateException("AUTO must be resolved before running");
            default -> throw new IllegalStateException("unknown reduce algorithm");
        }
    }

    /** @param shape the tree ({@link ReduceTree}; for any but doubling the caller checked the op is commutative) */
    private static void tree(CollectiveContext ctx, Exchange ex, ByteBuffer in, ByteBuffer out, DataType type,
            int count, ReduceOp op, int root, ReduceTree.Shape shape) {
        int n = ctx.size();
        int rank = ctx.rank();
        int bytes = count * type.size();
        int treeRoot = op.commutative() ? root : 0;
        ReduceTree tree = ReduceTree.of(shape, (rank - treeRoot + n) % n, n);
        int seg = Segments.size(ctx.tuning().segmentBytes(), type.size());
        ByteBuffer acc = op.elementwise() && bytes > seg
                ? pipelined(ctx, ex, in, out, type, bytes, op, root, treeRoot, tree, seg)
                : wholeVectors(ctx, ex, in, type, count, op, treeRoot, tree);
        if (treeRoot == root) {
            if (rank == root && acc != out) {
                LocalCopy.copy(acc, 0, out, 0, bytes);
            }
            return;
        }
        // Non-commutative op with root != 0: hand the rank-ordered result over in a round of its own.
        int handOver = ctx.tag(Tags.MAX_ROUNDS - 1);
        if (rank == treeRoot) {
            ex.send(root, handOver, acc, 0, bytes);
            ex.await();
        } else if (rank == root) {
            ex.recv(treeRoot, handOver, out, 0, bytes);
            ex.await();
        }
    }

    /** The tree on whole vectors; returns this rank's partial (the result on the tree root). */
    private static ByteBuffer wholeVectors(CollectiveContext ctx, Exchange ex, ByteBuffer in, DataType type,
            int count, ReduceOp op, int treeRoot, ReduceTree tree) {
        int n = ctx.size();
        int bytes = count * type.size();
        ByteBuffer acc = ctx.scratch().get(Scratch.TEMP_A, bytes);
        ByteBuffer incoming = ctx.scratch().get(Scratch.TEMP_B, bytes);
        LocalCopy.copy(in, 0, acc, 0, bytes);
        for (int i = 0; i < tree.childCount; i++) {
            ex.recv((tree.child(i) + treeRoot) % n, ctx.tag(tree.childRound(i)), incoming, 0, bytes);
            ex.await();
            op.apply(acc, incoming, acc, type, count);
        }
        if (tree.parent >= 0) {
            ex.send((tree.parent + treeRoot) % n, ctx.tag(tree.parentRound), acc, 0, bytes);
            ex.await();
        }
        return acc;
    }

    /**
     * The tree segment by segment (see the class comment); returns this rank's partial, which on the root of a
     * commutative op's tree is {@code out} itself. Children are taken in round order, so on the binomial tree each
     * fold still puts the left partial before the right one; the send of a folded segment completes while the next
     * one is received. A rank without children posts all its segments at once, straight from its input.
     */
    private static ByteBuffer pipelined(CollectiveContext ctx, Exchange ex, ByteBuffer in, ByteBuffer out,
            DataType type, int bytes, ReduceOp op, int root, int treeRoot, ReduceTree tree, int seg) {
        int n = ctx.size();
        int parent = tree.parent < 0 ? -1 : (tree.parent + treeRoot) % n;
        int pieces = Segments.count(bytes, seg);
        if (tree.childCount == 0) {
            for (int s = 0; s < pieces; s++) {
                ex.send(parent, segmentTag(ctx, s), in, s * seg, Math.min(seg, bytes - s * seg));
            }
            ex.await();
            return in;
        }
        ByteBuffer acc = tree.parent < 0 && treeRoot == root ? out : ctx.scratch().get(Scratch.TEMP_A, bytes);
        ByteBuffer incoming = ctx.scratch().get(Scratch.TEMP_B, seg);
        for (int s = 0; s < pieces; s++) {
            int off = s * seg;
            int len = Math.min(seg, bytes - off);
            ByteBuffer left = in;
            for (int i = 0; i < tree.childCount; i++) {
                ex.recv((tree.child(i) + treeRoot) % n, segmentTag(ctx, s), incoming, 0, len);
                ex.await();
                op.apply(left, off, incoming, 0, acc, off, type, len / type.size());
                left = acc;
            }
            if (parent >= 0) {
                ex.send(parent, segmentTag(ctx, s), acc, off, len);
            }
        }
        ex.await();
        return acc;
    }

    /** Segment s's tag; wrapping is safe, as messages between two ranks stay in order. */
    private static int segmentTag(CollectiveContext ctx, int s) {
        return ctx.tag(s % (Tags.MAX_ROUNDS - 1));
    }

    private static void linear(CollectiveContext ctx, Exchange ex, ByteBuffer in, ByteBuffer out, DataType type,
            int count, ReduceOp op, int root) {
        int n = ctx.size();
        int bytes = count * type.size();
        if (ctx.rank() != root) {
            ex.send(root, ctx.tag(0), in, 0, bytes);
            ex.await();
            return;
        }
        ByteBuffer all = ctx.scratch().get(Scratch.TEMP_A, ByteSizes.product(n, bytes,
                "the root's scratch for a linear reduce (every rank's contribution, in rank order)"));
        for (int p = 0; p < n; p++) {
            if (p == root) {
                LocalCopy.copy(in, 0, all, p * bytes, bytes);
            } else {
                ex.recv(p, ctx.tag(0), all, p * bytes, bytes);
            }
        }
        ex.await();
        ByteBuffer acc = ctx.scratch().get(Scratch.TEMP_B, bytes);
        LocalCopy.copy(all, 0, acc, 0, bytes);
        for (int p = 1; p < n; p++) {
            op.apply(acc, 0, all, p * bytes, acc, 0, type, count);
        }
        LocalCopy.copy(acc, 0, out, 0, bytes);
    }
}
