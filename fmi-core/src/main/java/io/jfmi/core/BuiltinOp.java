package io.jfmi.core;

import java.nio.ByteBuffer;

/**
 * The predefined reductions; their loops are in {@link ReduceKernels}. Bitwise ops are defined for integer types
 * only.
 */
enum BuiltinOp implements ReduceOp {
    SUM, PROD, MIN, MAX, BAND, BOR, BXOR;

    @Override
    public boolean commutative() {
        return true;
    }

    @Override
    public boolean associative() {
        return true;
    }

    @Override
    public boolean elementwise() {
        return true;
    }

    @Override
    public void apply(ByteBuffer l, ByteBuffer r, ByteBuffer out, DataType type, int count) {
        ReduceKernels.apply(this, l, 0, r, 0, out, 0, type, count);
    }

    @Override
    public void apply(ByteBuffer l, int lOffset, ByteBuffer r, int rOffset, ByteBuffer out, int outOffset,
            DataType type, int count) {
        ReduceKernels.apply(this, l, lOffset, r, rOffset, out, outOffset, type, count);
    }
}
