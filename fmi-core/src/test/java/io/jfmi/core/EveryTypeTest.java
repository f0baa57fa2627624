package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every element type through the reducing and moving collectives, read back element by element. */
class EveryTypeTest {

    static ByteBuffer filled(DataType type, int count, int rank, int salt) {
        ByteBuffer b = ByteBuffer.allocateDirect(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            put(b, type, i, small(rank, i, salt));
        }
        return b;
    }

    /** Values small enough that sums over 8 ranks fit every type, byte included. */
    static int small(int rank, int i, int salt) {
        return (rank * 3 + i * 7 + salt) % 13 - 6;
    }

    static void put(ByteBuffer b, DataType t, int i, long v) {
        switch (t) {
            case BYTE -> b.put(i, (byte) v);
            case INT -> b.putInt(i * 4, (int) v);
            case LONG -> b.putLong(i * 8, v);
            case FLOAT -> b.putFloat(i * 4, v);
            case DOUBLE -> b.putDouble(i * 8, v);
            default -> throw new IllegalStateException();
        }
    }

    static long get(ByteBuffer b, DataType t, int i) {
        return switch (t) {
            case BYTE -> b.get(i);
            case INT -> b.getInt(i * 4);
            case LONG -> b.getLong(i * 8);
            case FLOAT -> (long) b.getFloat(i * 4);
            case DOUBLE -> (long) b.getDouble(i * 8);
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 7})
    void reduceAndMoveEveryType(int n) throws Exception {
        int count = 11;
        for (DataType type : DataType.values()) {
            List<long[]> results = ThreadedJob.run(n, comm -> {
                int rank = comm.rank();
                int k = comm.size();
                ByteBuffer sum = ByteBuffer.allocateDirect(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
                comm.allreduce(DataBuffer.of(filled(type, count, rank, 0), type), DataBuffer.of(sum, type),
                        ReduceOp.SUM);
                ByteBuffer min = ByteBuffer.allocateDirect(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
                comm.scan(DataBuffer.of(filled(type, count, rank, 1), type), DataBuffer.of(min, type), ReduceOp.MIN);
                ByteBuffer rs = ByteBuffer.allocateDirect(count * type.size()).order(ByteOrder.LITTLE_ENDIAN);
                comm.reduceScatter(DataBuffer.of(filled(type, count * k, rank, 2), type), DataBuffer.of(rs, type),
                        ReduceOp.MAX);
                ByteBuffer a2a = ByteBuffer.allocateDirect(count * k * type.size()).order(ByteOrder.LITTLE_ENDIAN);
                comm.alltoall(DataBuffer.of(filled(type, count * k, rank, 3), type), DataBuffer.of(a2a, type));
                long[] out = new long[count * (3 + k)];
                for (int i = 0; i < count; i++) {
                    out[i] = get(sum, type, i);
                    out[count + i] = get(min, type, i);
                    out[2 * count + i] = get(rs, type, i);
                }
                for (int i = 0; i < count * k; i++) {
                    out[3 * count + i] = get(a2a, type, i);
                }
                return out;
            });
            for (int r = 0; r < n; r++) {
                long[] got = results.get(r);
                for (int i = 0; i < count; i++) {
                    long sum = 0;
                    long min = Long.MAX_VALUE;
                    long max = Long.MIN_VALUE;
                    for (int q = 0; q < n; q++) {
                        sum += small(q, i, 0);
                        if (q <= r) {
                            min = Math.min(min, small(q, i, 1));
                        }
                        max = Math.max(max, small(q, r * count + i, 2));
                    }
                    assertEquals(sum, got[i], type + " allreduce rank " + r + " element " + i);
                    assertEquals(min, got[count + i], type + " scan rank " + r + " element " + i);
                    assertEquals(max, got[2 * count + i], type + " reduceScatter rank " + r + " element " + i);
                }
                for (int p = 0; p < n; p++) {
                    for (int i = 0; i < count; i++) {
                        assertEquals(small(p, r * count + i, 3), got[3 * count + p * count + i],
                                type + " alltoall rank " + r + " from " + p);
                    }
                }
            }
        }
    }
}
