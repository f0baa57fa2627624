package io.jfmi.worker.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One numpy array held as little-endian bytes: dtype ({@code <f4}, {@code <f8}, {@code <i8}...) and shape. The
 * data layout is C order, as numpy and PyTorch write it.
 */
public record NpyArray(String dtype, long[] shape, ByteBuffer data) {

    public NpyArray {
        data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long expected = elementCount(shape) * elementSize(dtype);
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("array of dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
    }

    public static NpyArray ofFloats(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NpyArray("<f4", shape, b);
    }

    public static NpyArray ofDoubles(double[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new NpyArray("<f8", shape, b);
    }

    public long count() {
        return elementCount(shape);
    }

    public float[] toFloats() {
        requireDtype("<f4");
        float[] out = new float[(int) count()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public double[] toDoubles() {
        if (dtype.equals("<f4")) {
            float[] f = toFloats();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        requireDtype("<f8");
        double[] out = new double[(int) count()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    private void requireDtype(String wanted) {
        if (!dtype.equals(wanted)) {
            throw new IllegalArgumentException("array has dtype " + dtype + ", expected " + wanted);
        }
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes per element of a supported little-endian (or single-byte) dtype. */
    static int elementSize(String dtype) {
        return switch (dtype) {
            case "<f4", "<i4", "<u4" -> 4;
            case "<f8", "<i8", "<u8" -> 8;
            case "<f2", "<i2", "<u2" -> 2;
            case "|u1", "|i1", "|b1" -> 1;
            default -> throw new IllegalArgumentException("unsupported dtype '" + dtype
                    + "' (little-endian numeric types only)");
        };
    }
}
