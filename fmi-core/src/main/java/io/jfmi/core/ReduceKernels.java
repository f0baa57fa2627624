package io.jfmi.core;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * The predefined reductions' loops. Elements move between the buffers and small per-thread arrays in bulk, and the
 * arithmetic runs on the arrays: with C1 only (Lambda's default JIT) a loop of {@code ByteBuffer.getDouble} calls
 * is not inlined and ran a 1 MiB sum in 1,790 µs where this takes 240-270 µs; with C2 both take ~100 µs
 * (measured, benchmarks/RESULTS.md). Chunks of 1,024 elements (16 KiB of doubles for both arrays, inside L1): each
 * chunk costs three bulk copies whose calls, not their bytes, were most of the time at 256 (a 1 MiB double sum, best
 * of 200, C1 151 -> 111 µs on JDK 17 and 139 -> 105 µs on JDK 25, C2 39 -> 34 µs); 2,048 and more were slower again
 * under C2.
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
        final byte[] b1 = new byte[CHUNK];
        final byte[] b2 = new byte[CHUNK];
    }

    private ReduceKernels() {
    }

    /** {@code out[i] = l[i] op r[i]} for elements 0..count-1, indexed from each buffer's start (position 0). */
    static void apply(BuiltinOp op, ByteBuffer l, ByteBuffer r, ByteBuffer out, DataType type, int count) {
        boolean bitwise = op == BuiltinOp.BAND || op == BuiltinOp.BOR || op == BuiltinOp.BXOR;
        if (bitwise && (type == DataType.FLOAT || type == DataType.DOUBLE)) {
            throw new IllegalArgumentException(op.name() + " is not defined for floating-point data");
        }
        Arrays a = ARRAYS.get();
        switch (type) {
            case DOUBLE -> doubles(op, view(l).asDoubleBuffer(), view(r).asDoubleBuffer(),
                    out == l ? null : view(out).asDoubleBuffer(), count, a);
            case FLOAT -> floats(op, view(l).asFloatBuffer(), view(r).asFloatBuffer(),
                    out == l ? null : view(out).asFloatBuffer(), count, a);
            case LONG -> longs(op, view(l).asLongBuffer(), view(r).asLongBuffer(),
                    out == l ? null : view(out).asLongBuffer(), count, a);
            case INT -> ints(op, view(l).asIntBuffer(), view(r).asIntBuffer(),
                    out == l ? null : view(out).asIntBuffer(), count, a);
            case BYTE -> bytes(op, l, r, out, count, a);
            default -> throw new IllegalArgumentException("unknown data type " + type);
        }
    }

    /** The buffer from index 0 to its capacity, in its own byte order. */
    private static ByteBuffer view(ByteBuffer b) {
        return b.duplicate().clear().order(b.order());
    }

    private static void doubles(BuiltinOp op, DoubleBuffer l, DoubleBuffer r, DoubleBuffer out, int count, Arrays a) {
        DoubleBuffer target = out == null ? l : out;
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.d1, 0, n);
            r.get(at, a.d2, 0, n);
            double[] x = a.d1;
            double[] y = a.d2;
            switch (op) {
                case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
                case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
                case MIN -> { for (int i = 0; i < n; i++) { x[i] = Math.min(x[i], y[i]); } }
                case MAX -> { for (int i = 0; i < n; i++) { x[i] = Math.max(x[i], y[i]); } }
                default -> throw new IllegalArgumentException(op.name() + " is not defined for floating-point data");
            }
            target.put(at, x, 0, n);
        }
    }

    private static void floats(BuiltinOp op, FloatBuffer l, FloatBuffer r, FloatBuffer out, int count, Arrays a) {
        FloatBuffer target = out == null ? l : out;
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.f1, 0, n);
            r.get(at, a.f2, 0, n);
            float[] x = a.f1;
            float[] y = a.f2;
            switch (op) {
                case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
                case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
                case MIN -> { for (int i = 0; i < n; i++) { x[i] = Math.min(x[i], y[i]); } }
                case MAX -> { for (int i = 0; i < n; i++) { x[i] = Math.max(x[i], y[i]); } }
                default -> throw new IllegalArgumentException(op.name() + " is not defined for floating-point data");
            }
            target.put(at, x, 0, n);
        }
    }

    private static void longs(BuiltinOp op, LongBuffer l, LongBuffer r, LongBuffer out, int count, Arrays a) {
        LongBuffer target = out == null ? l : out;
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.l1, 0, n);
            r.get(at, a.l2, 0, n);
            long[] x = a.l1;
            long[] y = a.l2;
            switch (op) {
                case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
                case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
                case MIN -> { for (int i = 0; i < n; i++) { x[i] = Math.min(x[i], y[i]); } }
                case MAX -> { for (int i = 0; i < n; i++) { x[i] = Math.max(x[i], y[i]); } }
                case BAND -> { for (int i = 0; i < n; i++) { x[i] &= y[i]; } }
                case BOR -> { for (int i = 0; i < n; i++) { x[i] |= y[i]; } }
                case BXOR -> { for (int i = 0; i < n; i++) { x[i] ^= y[i]; } }
                default -> throw new IllegalArgumentException("unknown op " + op);
            }
            target.put(at, x, 0, n);
        }
    }

    private static void ints(BuiltinOp op, IntBuffer l, IntBuffer r, IntBuffer out, int count, Arrays a) {
        IntBuffer target = out == null ? l : out;
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.i1, 0, n);
            r.get(at, a.i2, 0, n);
            int[] x = a.i1;
            int[] y = a.i2;
            switch (op) {
                case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
                case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
                case MIN -> { for (int i = 0; i < n; i++) { x[i] = Math.min(x[i], y[i]); } }
                case MAX -> { for (int i = 0; i < n; i++) { x[i] = Math.max(x[i], y[i]); } }
                case BAND -> { for (int i = 0; i < n; i++) { x[i] &= y[i]; } }
                case BOR -> { for (int i = 0; i < n; i++) { x[i] |= y[i]; } }
                case BXOR -> { for (int i = 0; i < n; i++) { x[i] ^= y[i]; } }
                default -> throw new IllegalArgumentException("unknown op " + op);
            }
            target.put(at, x, 0, n);
        }
    }

    private static void bytes(BuiltinOp op, ByteBuffer l, ByteBuffer r, ByteBuffer out, int count, Arrays a) {
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, a.b1, 0, n);
            r.get(at, a.b2, 0, n);
            byte[] x = a.b1;
            byte[] y = a.b2;
            switch (op) {
                case SUM -> { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
                case PROD -> { for (int i = 0; i < n; i++) { x[i] *= y[i]; } }
                case MIN -> { for (int i = 0; i < n; i++) { x[i] = (byte) Math.min(x[i], y[i]); } }
                case MAX -> { for (int i = 0; i < n; i++) { x[i] = (byte) Math.max(x[i], y[i]); } }
                case BAND -> { for (int i = 0; i < n; i++) { x[i] &= y[i]; } }
                case BOR -> { for (int i = 0; i < n; i++) { x[i] |= y[i]; } }
                case BXOR -> { for (int i = 0; i < n; i++) { x[i] ^= y[i]; } }
                default -> throw new IllegalArgumentException("unknown op " + op);
            }
            out.put(at, x, 0, n);
        }
    }
}
