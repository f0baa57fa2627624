package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every predefined op on every type against a one-element-at-a-time reference, across chunk edges and aliasing. */
class ReduceKernelsTest {
    private static final int[] COUNTS = {0, 1, ReduceKernels.CHUNK - 1, ReduceKernels.CHUNK, ReduceKernels.CHUNK + 1,
        3 * ReduceKernels.CHUNK + 17};

    @ParameterizedTest
    @EnumSource(BuiltinOp.class)
    void everyTypeMatchesTheReference(BuiltinOp op) {
        for (DataType type : DataType.values()) {
            boolean bitwise = op == BuiltinOp.BAND || op == BuiltinOp.BOR || op == BuiltinOp.BXOR;
            boolean floating = type == DataType.FLOAT || type == DataType.DOUBLE;
            for (int count : COUNTS) {
                ByteBuffer l = random(type, count, 1);
                ByteBuffer r = random(type, count, 2);
                if (bitwise && floating) {
                    assertThrows(IllegalArgumentException.class, () -> op.apply(l, r, l, type, count),
                            op + " on " + type);
                    continue;
                }
                ByteBuffer expected = reference(op, l, r, type, count);
                ByteBuffer separate = ByteBuffer.allocateDirect(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
                op.apply(l, r, separate, type, count);
                assertEquals(expected, separate, op + " " + type + " x" + count + " into a third buffer");
                ByteBuffer intoRight = copy(r);
                op.apply(l, intoRight, intoRight, type, count);
                assertEquals(expected, intoRight, op + " " + type + " x" + count + " into the right operand");
                ByteBuffer intoLeft = copy(l);
                op.apply(intoLeft, r, intoLeft, type, count);
                assertEquals(expected, intoLeft, op + " " + type + " x" + count + " in place");
            }
        }
    }

    /**
     * The offset form folds regions inside larger buffers and leaves the bytes around them alone, through the
     * per-thread arrays (one chunk or less) and through typed views (more).
     */
    @ParameterizedTest
    @EnumSource(BuiltinOp.class)
    void regionsAtOffsetsMatchTheReference(BuiltinOp op) {
        boolean bitwise = op == BuiltinOp.BAND || op == BuiltinOp.BOR || op == BuiltinOp.BXOR;
        for (DataType type : DataType.values()) {
            if (bitwise && (type == DataType.FLOAT || type == DataType.DOUBLE)) {
                continue;
            }
            for (int count : COUNTS) {
                int bytes = count * type.size();
                ByteBuffer l = random(type, count + 5, 3);
                ByteBuffer r = random(type, count + 9, 4);
                int lOff = 2 * type.size();
                int rOff = 7 * type.size();
                ByteBuffer expected = reference(op, region(l, lOff, bytes), region(r, rOff, bytes), type, count);
                ByteBuffer out = random(type, count + 3, 5);
                ByteBuffer outBefore = copy(out);
                int outOff = type.size();
                op.apply(l, lOff, r, rOff, out, outOff, type, count);
                String what = op + " " + type + " x" + count;
                assertEquals(expected, region(out, outOff, bytes), what + " into a region of a third buffer");
                assertEquals(region(outBefore, 0, outOff), region(out, 0, outOff), what + ": bytes before the region");
                int after = outOff + bytes;
                int tail = out.capacity() - after;
                assertEquals(region(outBefore, after, tail), region(out, after, tail),
                        what + ": bytes after the region");
                ByteBuffer inPlace = copy(l);
                op.apply(inPlace, lOff, r, rOff, inPlace, lOff, type, count);
                assertEquals(expected, region(inPlace, lOff, bytes), what + " in place at an offset");
            }
        }
    }

    /** A buffer in big-endian order is read and written in its own order, at every size. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"INT", "LONG", "FLOAT", "DOUBLE"})
    void bigEndianBuffersKeepTheirOrder(DataType type) {
        for (int count : COUNTS) {
            ByteBuffer l = random(type, count, 6);
            ByteBuffer r = random(type, count, 7);
            ByteBuffer expected = reference(BuiltinOp.MAX, l, r, type, count);
            ByteBuffer bigL = bigEndianCopy(l, type, count);
            ByteBuffer bigR = bigEndianCopy(r, type, count);
            BuiltinOp.MAX.apply(bigL, 0, bigR, 0, bigL, 0, type, count);
            assertEquals(bigEndianCopy(expected, type, count), bigL, "MAX " + type + " x" + count + " big-endian");
        }
    }

    /** A user op gets the regions as buffers of their own, the same buffer where the regions are the same. */
    @Test
    void aUserOpSeesRegionsAsBuffersOfTheirOwn() {
        ReduceOp difference = ReduceOp.custom("difference", false, false, (left, right, out, type, count) -> {
            assertEquals(count * type.size(), left.capacity(), "the left region's size");
            assertEquals(ByteOrder.LITTLE_ENDIAN, right.order(), "the right region's order");
            assertSame(left, out, "out is the left region, as the same buffer");
            for (int i = 0; i < count; i++) {
                out.putLong(8 * i, left.getLong(8 * i) - right.getLong(8 * i));
            }
        });
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            data.putLong(8 * i, 10L * i);
        }
        difference.apply(data, 8, data, 40, data, 8, DataType.LONG, 3);
        long[] got = new long[8];
        data.asLongBuffer().get(got);
        assertArrayEquals(new long[] {0, 10 - 50, 20 - 60, 30 - 70, 40, 50, 60, 70},
                got);
    }

    private static ByteBuffer region(ByteBuffer b, int offset, int bytes) {
        return b.slice(offset, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer bigEndianCopy(ByteBuffer little, DataType type, int count) {
        ByteBuffer big = ByteBuffer.allocateDirect(count * type.size()).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case INT -> big.putInt(4 * i, little.getInt(4 * i));
                case LONG -> big.putLong(8 * i, little.getLong(8 * i));
                case FLOAT -> big.putFloat(4 * i, little.getFloat(4 * i));
                case DOUBLE -> big.putDouble(8 * i, little.getDouble(8 * i));
                default -> throw new IllegalStateException();
            }
        }
        return big;
    }

    private static ByteBuffer reference(BuiltinOp op, ByteBuffer l, ByteBuffer r, DataType type, int count) {
        ByteBuffer out = ByteBuffer.allocateDirect(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case BYTE -> out.put(i, (byte) longOp(op, l.get(i), r.get(i)));
                case INT -> out.putInt(4 * i, (int) longOp(op, l.getInt(4 * i), r.getInt(4 * i)));
                case LONG -> out.putLong(8 * i, longOp(op, l.getLong(8 * i), r.getLong(8 * i)));
                case FLOAT -> out.putFloat(4 * i, (float) doubleOp(op, l.getFloat(4 * i), r.getFloat(4 * i)));
                case DOUBLE -> out.putDouble(8 * i, doubleOp(op, l.getDouble(8 * i), r.getDouble(8 * i)));
                default -> throw new IllegalStateException();
            }
        }
        return out;
    }

    private static long longOp(BuiltinOp op, long a, long b) {
        return switch (op) {
            case SUM -> a + b;
            case PROD -> a * b;
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            case BAND -> a & b;
            case BOR -> a | b;
            case BXOR -> a ^ b;
        };
    }

    private static double doubleOp(BuiltinOp op, double a, double b) {
        return switch (op) {
            case SUM -> a + b;
            case PROD -> a * b;
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            default -> throw new IllegalStateException();
        };
    }

    private static ByteBuffer random(DataType type, int count, long seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
        Random rnd = new Random(seed * 31 + count);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case BYTE -> b.put(i, (byte) rnd.nextInt());
                case INT -> b.putInt(4 * i, rnd.nextInt());
                case LONG -> b.putLong(8 * i, rnd.nextLong());
                case FLOAT -> b.putFloat(4 * i, (float) rnd.nextGaussian() * 100);
                case DOUBLE -> b.putDouble(8 * i, rnd.nextGaussian() * 1e6);
                default -> throw new IllegalStateException();
            }
        }
        return b;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocateDirect(b.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        c.put(b.duplicate().clear()).clear();
        return c;
    }
}
