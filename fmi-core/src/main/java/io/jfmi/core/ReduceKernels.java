package io.jfmi.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Moves the predefined reductions' elements between the buffers and small per-thread arrays in bulk; the
 * arithmetic runs on the arrays ({@link ReduceLoops}). With C1 only (Lambda's default JIT) a loop of
 * {@code ByteBuffer.getDouble} calls is not inlined and ran a 1 MiB sum in 1,790 µs where this takes 240-270 µs;
 * with C2 both take ~100 µs (measured, benchmarks/RESULTS.md). Chunks of 1,024 elements (16 KiB of doubles for
 * both arrays, inside L1): each chunk costs three bulk copies whose calls, not their bytes, were most of the time at
 * 256 (a 1 MiB double sum, best of 200, C1 151 -> 111 µs on JDK 17 and 139 -> 105 µs on JDK 25, C2 39 -> 34 µs);
 * 2,048 and more were slower again under C2.
 *
 * <p>A vector of one chunk or less (every small message) goes through per-thread byte arrays whose typed views
 * are made once, so it allocates nothing: typed views of the caller's buffers cost two objects per buffer per
 * fold, which made a small reduce's root collect its young generation ten times as often as its leaves. Larger
 * vectors read the caller's buffers through typed views, whose cost is spread over at least 8 KiB; their sums run
 * {@link UnrolledSums} where the JVM has no C2 ({@link ReduceLoopChoice}).
 */
final class ReduceKernels {
    static final int CHUNK = 1024;
    private static final ThreadLocal<Arrays> ARRAYS = ThreadLocal.withInitial(Arrays::new);

    private static final class Arrays {
        final double[] d1 = new double[CHUNK];
        final double[] d2 = new double[CHUNK];
        final long[] l1 = new long[CHUNK];
        final long[] l2 = new long[CHUNK];
        final float[] f1 = new float[CHUNK];
        final float[] f2 = new float[CHUNK];
        final int[] i1 = new int[CHUNK];
        final int[] i2 = new int[CHUNK];
        final byte[] b1 = new byte[CHUNK * Double.BYTES];
        final byte[] b2 = new byte[CHUNK * Double.BYTES];
        final ByteBuffer left = ByteBuffer.wrap(b1).order(ByteOrder.LITTLE_ENDIAN);
        final ByteBuffer right = ByteBuffer.wrap(b2).order(ByteOrder.LITTLE_ENDIAN);
        final DoubleBuffer leftDoubles = left.asDoubleBuffer();
        final DoubleBuffer rightDoubles = right.asDoubleBuffer();
        final FloatBuffer leftFloats = left.asFloatBuffer();
        final FloatBuffer rightFloats = right.asFloatBuffer();
        final LongBuffer leftLongs = left.asLongBuffer();
        final LongBuffer rightLongs = right.asLongBuffer();
        final IntBuffer leftInts = left.asIntBuffer();
        final IntBuffer rightInts = right.asIntBuffer();
    }

    private ReduceKernels() {
    }

    /**
     * {@code out[i] = l[i] op r[i]} for elements 0..count-1 of the regions starting at byte {@code lOff},
     * {@code rOff} and {@code outOff} of each buffer (absolute, below each buffer's limit). {@code out} may be
     * the same region as {@code l} or {@code r}.
     */
    static void apply(BuiltinOp op, ByteBuffer l, int lOff, ByteBuffer r, int rOff, ByteBuffer out, int outOff,
            DataType type, int count) {
        boolean bitwise = op == BuiltinOp.BAND || op == BuiltinOp.BOR || op == BuiltinOp.BXOR;
        if (bitwise && (type == DataType.FLOAT || type == DataType.DOUBLE)) {
            throw new IllegalArgumentException(op.name() + " is not defined for floating-point data");
        }
        Arrays a = ARRAYS.get();
        if (type == DataType.BYTE) {
            bytes(op, l, lOff, r, rOff, out, outOff, count, a);
        } else if (count <= CHUNK && littleEndian(l, r, out)) {
            oneChunk(op, l, lOff, r, rOff, out, outOff, type, count, a);
        } else {
            switch (type) {
                case DOUBLE -> doubles(op, region(l, lOff, count, type).asDoubleBuffer(),
                        region(r, rOff, count, type).asDoubleBuffer(),
                        region(out, outOff, count, type).asDoubleBuffer(), count, a);
                case FLOAT -> floats(op, region(l, lOff, count, type).asFloatBuffer(),
                        region(r, rOff, count, type).asFloatBuffer(),
                        region(out, outOff, count, type).asFloatBuffer(), count, a);
                case LONG -> longs(op, region(l, lOff, count, type).asLongBuffer(),
                        region(r, rOff, count, type).asLongBuffer(),
                        region(out, outOff, count, type).asLongBuffer(), count, a);
                case INT -> ints(op, region(l, lOff, count, type).asIntBuffer(),
                        region(r, rOff, count, type).asIntBuffer(),
                        region(out, outOff, count, type).asIntBuffer(), count, a);
                default -> throw new IllegalArgumentException("unknown data type " + type);
            }
        }
    }

    private static boolean littleEndian(ByteBuffer l, ByteBuffer r, ByteBuffer out) {
        return l.order() == ByteOrder.LITTLE_ENDIAN && r.order() == ByteOrder.LITTLE_ENDIAN
                && out.order() == ByteOrder.LITTLE_ENDIAN;
    }

    /** The elements' bytes, in the buffer's own byte order. */
    private static ByteBuffer region(ByteBuffer b, int offset, int count, DataType type) {
        return b.slice(offset, count * type.size()).order(b.order());
    }

    /** Both operands' bytes into the per-thread arrays, folded there, and the result's bytes out. */
    private static void oneChunk(BuiltinOp op, ByteBuffer l, int lOff, ByteBuffer r, int rOff, ByteBuffer out,
            int outOff, DataType type, int count, Arrays a) {
        int bytes = count * type.size();
        l.get(lOff, a.b1, 0, bytes);
        r.get(rOff, a.b2, 0, bytes);
        switch (type) {
            case DOUBLE -> {
                a.leftDoubles.get(0, a.d1, 0, count);
                a.rightDoubles.get(0, a.d2, 0, count);
                ReduceLoops.doubles(op, a.d1, a.d2, count);
                a.leftDoubles.put(0, a.d1, 0, count);
            }
            case FLOAT -> {
                a.leftFloats.get(0, a.f1, 0, count);
                a.rightFloats.get(0, a.f2, 0, count);
                ReduceLoops.floats(op, a.f1, a.f2, count);
                a.leftFloats.put(0, a.f1, 0, count);
            }
            case LONG -> {
                a.leftLongs.get(0, a.l1, 0, count);
                a.rightLongs.get(0, a.l2, 0, count);
                ReduceLoops.longs(op, a.l1, a.l2, count);
                a.leftLongs.put(0, a.l1, 0, count);
            }
            case INT -> {
                a.leftInts.get(0, a.i1, 0, count);
                a.rightInts.get(0, a.i2, 0, count);
                ReduceLoops.ints(op, a.i1, a.i2, count);
                a.leftInts.put(0, a.i1, 0, count);
            }
            default -> throw new IllegalArgumentException("unknown data type " + type);
        }
        out.put(outOff, a.b1, 0, bytes);
    }

    private static void doubles(BuiltinOp op, DoubleBuffer l, DoubleBuffer r, DoubleBuffer out, int count, Arrays a) {
        boolean unrolled = op == BuiltinOp.SUM && ReduceLoopChoice.unrolledSums();
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.d1, 0, n);
            r.get(at, a.d2, 0, n);
            if (unrolled) {
                UnrolledSums.doubles(a.d1, a.d2, n);
            } else {
                ReduceLoops.doubles(op, a.d1, a.d2, n);
            }
            out.put(at, a.d1, 0, n);
        }
    }

    private static void floats(BuiltinOp op, FloatBuffer l, FloatBuffer r, FloatBuffer out, int count, Arrays a) {
        boolean unrolled = op == BuiltinOp.SUM && ReduceLoopChoice.unrolledSums();
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.f1, 0, n);
            r.get(at, a.f2, 0, n);
            if (unrolled) {
                UnrolledSums.floats(a.f1, a.f2, n);
            } else {
                ReduceLoops.floats(op, a.f1, a.f2, n);
            }
            out.put(at, a.f1, 0, n);
        }
    }

    private static void longs(BuiltinOp op, LongBuffer l, LongBuffer r, LongBuffer out, int count, Arrays a) {
        boolean unrolled = op == BuiltinOp.SUM && ReduceLoopChoice.unrolledSums();
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.l1, 0, n);
            r.get(at, a.l2, 0, n);
            if (unrolled) {
                UnrolledSums.longs(a.l1, a.l2, n);
            } else {
                ReduceLoops.longs(op, a.l1, a.l2, n);
            }
            out.put(at, a.l1, 0, n);
        }
    }

    private static void ints(BuiltinOp op, IntBuffer l, IntBuffer r, IntBuffer out, int count, Arrays a) {
        boolean unrolled = op == BuiltinOp.SUM && ReduceLoopChoice.unrolledSums();
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.i1, 0, n);
            r.get(at, a.i2, 0, n);
            if (unrolled) {
                UnrolledSums.ints(a.i1, a.i2, n);
            } else {
                ReduceLoops.ints(op, a.i1, a.i2, n);
            }
            out.put(at, a.i1, 0, n);
        }
    }

    /** Bytes need no typed view at any size: absolute bulk copies straight into the arrays. */
    private static void bytes(BuiltinOp op, ByteBuffer l, int lOff, ByteBuffer r, int rOff, ByteBuffer out,
            int outOff, int count, Arrays a) {
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(lOff + at, a.b1, 0, n);
            r.get(rOff + at, a.b2, 0, n);
            ReduceLoops.bytes(op, a.b1, a.b2, n);
            out.put(outOff + at, a.b1, 0, n);
        }
    }
}
