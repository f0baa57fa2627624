package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
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
