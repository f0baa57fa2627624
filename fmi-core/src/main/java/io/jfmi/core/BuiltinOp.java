package io.jfmi.core;

import java.nio.ByteBuffer;

/** The predefined reductions. Bitwise ops are defined for integer types only. */
enum BuiltinOp implements ReduceOp {
    SUM {
        @Override long longOp(long a, long b) { return a + b; }
        @Override double doubleOp(double a, double b) { return a + b; }
    },
    PROD {
        @Override long longOp(long a, long b) { return a * b; }
        @Override double doubleOp(double a, double b) { return a * b; }
    },
    MIN {
        @Override long longOp(long a, long b) { return Math.min(a, b); }
        @Override double doubleOp(double a, double b) { return Math.min(a, b); }
    },
    MAX {
        @Override long longOp(long a, long b) { return Math.max(a, b); }
        @Override double doubleOp(double a, double b) { return Math.max(a, b); }
    },
    BAND {
        @Override long longOp(long a, long b) { return a & b; }
    },
    BOR {
        @Override long longOp(long a, long b) { return a | b; }
    },
    BXOR {
        @Override long longOp(long a, long b) { return a ^ b; }
    };

    abstract long longOp(long a, long b);

    double doubleOp(double a, double b) {
        throw new IllegalArgumentException(name() + " is not defined for floating-point data");
    }

    @Override
    public boolean commutative() {
        return true;
    }

    @Override
    public boolean associative() {
        return true;
    }

    @Override
    public void apply(ByteBuffer l, ByteBuffer r, ByteBuffer out, DataType type, int count) {
        if (this == SUM) {
            // the common case gets loops the JIT can vectorise without a virtual call per element
            sum(l, r, out, type, count);
            return;
        }
        switch (type) {
            case BYTE -> {
                for (int i = 0; i < count; i++) {
                    out.put(i, (byte) longOp(l.get(i), r.get(i)));
                }
            }
            case INT -> {
                for (int i = 0; i < count; i++) {
                    int at = i << 2;
                    out.putInt(at, (int) longOp(l.getInt(at), r.getInt(at)));
                }
            }
            case LONG -> {
                for (int i = 0; i < count; i++) {
                    int at = i << 3;
                    out.putLong(at, longOp(l.getLong(at), r.getLong(at)));
                }
            }
            case FLOAT -> {
                for (int i = 0; i < count; i++) {
                    int at = i << 2;
                    out.putFloat(at, (float) doubleOp(l.getFloat(at), r.getFloat(at)));
                }
            }
            case DOUBLE -> {
                for (int i = 0; i < count; i++) {
                    int at = i << 3;
                    out.putDouble(at, doubleOp(l.getDouble(at), r.getDouble(at)));
                }
            }
            default -> throw new IllegalArgumentException("unknown data type " + type);
        }
    }

    private static void sum(ByteBuffer l, ByteBuffer r, ByteBuffer out, DataType type, int count) {
        switch (type) {
            case BYTE -> {
                for (int i = 0; i < count; i++) {
                    out.put(i, (byte) (l.get(i) + r.get(i)));
                }
            }
            case INT -> {
                for (int at = 0, end = count << 2; at < end; at += 4) {
                    out.putInt(at, l.getInt(at) + r.getInt(at));
                }
            }
            case LONG -> {
                for (int at = 0, end = count << 3; at < end; at += 8) {
                    out.putLong(at, l.getLong(at) + r.getLong(at));
                }
            }
            case FLOAT -> {
                for (int at = 0, end = count << 2; at < end; at += 4) {
                    out.putFloat(at, l.getFloat(at) + r.getFloat(at));
                }
            }
            case DOUBLE -> {
                for (int at = 0, end = count << 3; at < end; at += 8) {
                    out.putDouble(at, l.getDouble(at) + r.getDouble(at));
                }
            }
            default -> throw new IllegalArgumentException("unknown data type " + type);
        }
    }
}
