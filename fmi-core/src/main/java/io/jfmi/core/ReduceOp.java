package io.jfmi.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.DoubleBinaryOperator;

/**
 * A reduction: {@code out[i] = left[i] op right[i]} for {@code count} elements of one {@link DataType}. Buffers
 * are little-endian and indexed absolutely from 0; {@code out} may be the same buffer as {@code left} or
 * {@code right}. Rank order is preserved for non-commutative ops: the result is {@code x0 op x1 op ... op x(n-1)}.
 * A non-associative op is applied strictly left to right.
 */
public interface ReduceOp {
    ReduceOp SUM = BuiltinOp.SUM;
    ReduceOp PROD = BuiltinOp.PROD;
    ReduceOp MIN = BuiltinOp.MIN;
    ReduceOp MAX = BuiltinOp.MAX;
    ReduceOp BAND = BuiltinOp.BAND;
    ReduceOp BOR = BuiltinOp.BOR;
    ReduceOp BXOR = BuiltinOp.BXOR;

    String name();

    boolean commutative();

    boolean associative();

    void apply(ByteBuffer left, ByteBuffer right, ByteBuffer out, DataType type, int count);

    /**
     * The same on regions: the elements start at byte {@code leftOffset} of {@code left}, {@code rightOffset} of
     * {@code right} and {@code outOffset} of {@code out}, and end below each buffer's limit. {@code out} may be
     * the same region as either input. Collectives fold through this form, so folding a piece of a larger buffer
     * costs no slice; the predefined ops then allocate nothing. The default slices each region (one slice for
     * regions that are the same) and calls {@link #apply(ByteBuffer, ByteBuffer, ByteBuffer, DataType, int)}.
     */
    default void apply(ByteBuffer left, int leftOffset, ByteBuffer right, int rightOffset, ByteBuffer out,
            int outOffset, DataType type, int count) {
        int bytes = count * type.size();
        ByteBuffer l = left.slice(leftOffset, bytes).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer r = right == left && rightOffset == leftOffset
                ? l : right.slice(rightOffset, bytes).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer o = out == left && outOffset == leftOffset ? l
                : out == right && outOffset == rightOffset ? r
                : out.slice(outOffset, bytes).order(ByteOrder.LITTLE_ENDIAN);
        apply(l, r, o, type, count);
    }

    /**
     * Whether element i of the result depends on element i of the inputs only, so a large reduction may fold the
     * vector piece by piece as it arrives (and in other pieces than the caller's). False unless the op says so:
     * a whole-vector op (e.g. 2x2 matrices stored as 4 doubles) must see whole vectors.
     */
    default boolean elementwise() {
        return false;
    }

    /** Whole-vector user function; see {@link ReduceOp} for the buffer contract. */
    @FunctionalInterface
    interface VectorFunction {
        void apply(ByteBuffer left, ByteBuffer right, ByteBuffer out, DataType type, int count);
    }

    /** A user op over whole vectors, e.g. a product of 2x2 matrices stored as 4 doubles each. */
    static ReduceOp custom(String name, boolean commutative, boolean associative, VectorFunction f) {
        return userOp(name, commutative, associative, false, f);
    }

    private static ReduceOp userOp(String name, boolean commutative, boolean associative, boolean elementwise,
            VectorFunction f) {
        return new ReduceOp() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean commutative() {
                return commutative;
            }

            @Override
            public boolean associative() {
                return associative;
            }

            @Override
            public boolean elementwise() {
                return elementwise;
            }

            @Override
            public void apply(ByteBuffer left, ByteBuffer right, ByteBuffer out, DataType type, int count) {
                f.apply(left, right, out, type, count);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** An element-wise user op on DOUBLE data. */
    static ReduceOp ofDoubles(String name, boolean commutative, DoubleBinaryOperator f) {
        return userOp(name, commutative, true, true, (l, r, out, type, count) -> {
            if (type != DataType.DOUBLE) {
                throw new IllegalArgumentException("op " + name + " is defined for DOUBLE, not " + type);
            }
            for (int i = 0; i < count; i++) {
                int at = i << 3;
                out.putDouble(at, f.applyAsDouble(l.getDouble(at), r.getDouble(at)));
            }
        });
    }
}
