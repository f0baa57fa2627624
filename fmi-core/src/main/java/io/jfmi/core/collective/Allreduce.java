package io.jfmi.core.collective;

import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import java.nio.ByteBuffer;

/**
 * Allreduce as reduce to rank 0 followed by a broadcast from rank 0: 2 ceil(log2 N) rounds, any N, any op
 * (rank order kept for non-commutative ops because {@link Reduce} keeps it).
 */
public final class Allreduce {
    private Allreduce() {
    }

    /** {@code out} may be the same buffer as {@code in}. */
    public static void run(CollectiveContext ctx, ByteBuffer in, ByteBuffer out, DataType type, int count,
            ReduceOp op) {
        Reduce.run(ctx, in, out, type, count, op, 0);
        Bcast.run(ctx, out, count * type.size(), 0);
    }
}
