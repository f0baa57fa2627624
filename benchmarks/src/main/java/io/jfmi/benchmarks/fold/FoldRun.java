package io.jfmi.benchmarks.fold;

import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * One JVM of {@code benchmarks fold}: checks, then times, {@code ReduceOp.SUM} folding a vector into another in place
 * from direct buffers (how a collective folds a received contribution), best and median of REPEATS calls per size
 * after WARMUP calls of every size and type. Prints one "RESULT type=.. bytes=.. best_us=.. median_us=.." line per
 * point (with the median of the kernel's bulk copies alone), after a "JVM version" line; exits 1 with the first
 * wrong element named when a sum is wrong.
 *
 * <p>Usage: {@code FoldRun TYPES BYTES[,BYTES...] REPEATS WARMUP}, TYPES e.g. {@code double,float}.
 */
public final class FoldRun {
    /** The kernel's chunk in elements (fmi-core's ReduceKernels.CHUNK, 8 KiB of doubles). */
    private static final int CHUNK = 1024;
    private FoldRun() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: FoldRun TYPES BYTES[,BYTES...] REPEATS WARMUP");
            System.exit(64);
        }
        System.out.println("JVM " + System.getProperty("java.runtime.version"));
        List<DataType> types = Arrays.stream(args[0].split(",")).map(FoldRun::type).toList();
        List<Integer> sizes = Arrays.stream(args[1].split(",")).map(Integer::parseInt).toList();
        int repeats = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        for (DataType type : types) {
            for (int bytes : sizes) {
                String wrong = check(type, bytes);
                if (wrong != null) {
                    System.err.println("FoldRun: wrong sum, " + type + " x " + bytes / type.size() + ": " + wrong);
                    System.exit(1);
                }
            }
        }
        List<ByteBuffer> lefts = sizes.stream().map(FoldRun::buffers).toList();
        List<ByteBuffer> rights = sizes.stream().map(FoldRun::buffers).toList();
        for (int i = 0; i < warmup; i++) {
            for (DataType type : types) {
                for (int s = 0; s < sizes.size(); s++) {
                    fold(type, lefts.get(s), rights.get(s), sizes.get(s));
                }
            }
        }
        for (DataType type : types) {
            for (int s = 0; s < sizes.size(); s++) {
                int bytes = sizes.get(s);
                long[] nanos = time(type, lefts.get(s), rights.get(s), bytes, repeats);
                long[] copies = timeCopies(type, lefts.get(s), rights.get(s), bytes, repeats);
                System.out.printf("RESULT type=%s bytes=%d best_us=%.2f median_us=%.2f copies_median_us=%.2f%n",
                        name(type), bytes, nanos[0] / 1e3, nanos[repeats / 2] / 1e3, copies[repeats / 2] / 1e3);
            }
        }
    }

    static DataType type(String name) {
        return switch (name) {
            case "double" -> DataType.DOUBLE;
            case "float" -> DataType.FLOAT;
            case "long" -> DataType.LONG;
            case "int" -> DataType.INT;
            default -> throw new IllegalArgumentException("type must be double, float, long or int, not '" + name
                    + "'");
        };
    }

    static String name(DataType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static long[] time(DataType type, ByteBuffer left, ByteBuffer right, int bytes, int repeats) {
        long[] nanos = new long[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            fold(type, left, right, bytes);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /**
     * The bulk copies alone that the kernel makes around its loop for a vector larger than one chunk: both operands
     * into arrays and the result out, {@value #CHUNK} elements at a time (what is left of a fold is its loop). Byte
     * arrays stand for the typed ones: the same bytes in the same number of calls.
     */
    private static long[] timeCopies(DataType type, ByteBuffer left, ByteBuffer right, int bytes, int repeats) {
        int chunkBytes = CHUNK * type.size();
        byte[] a = new byte[chunkBytes];
        byte[] b = new byte[chunkBytes];
        long[] nanos = new long[repeats];
        for (int i = -repeats; i < repeats; i++) {
            long t0 = System.nanoTime();
            for (int at = 0; at < bytes; at += chunkBytes) {
                int n = Math.min(chunkBytes, bytes - at);
                left.get(at, a, 0, n);
                right.get(at, b, 0, n);
                left.put(at, a, 0, n);
            }
            if (i >= 0) {
                nanos[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void fold(DataType type, ByteBuffer left, ByteBuffer right, int bytes) {
        ReduceOp.SUM.apply(left, 0, right, 0, left, 0, type, bytes / type.size());
    }

    private static ByteBuffer buffers(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** Small whole numbers, so every sum is exact in every type; null when all are right, else the first wrong. */
    private static String check(DataType type, int bytes) {
        ByteBuffer left = buffers(bytes);
        ByteBuffer right = buffers(bytes);
        int count = bytes / type.size();
        for (int i = 0; i < count; i++) {
            put(type, left, i, i % 1000);
            put(type, right, i, 3 * (i % 7));
        }
        fold(type, left, right, bytes);
        for (int i = 0; i < count; i++) {
            double expected = i % 1000 + 3 * (i % 7);
            double got = get(type, left, i);
            if (got != expected) {
                return "element " + i + " is " + got + ", expected " + expected;
            }
        }
        return null;
    }

    private static void put(DataType type, ByteBuffer b, int i, int v) {
        switch (type) {
            case DOUBLE -> b.putDouble(i * 8, v);
            case FLOAT -> b.putFloat(i * 4, v);
            case LONG -> b.putLong(i * 8, v);
            case INT -> b.putInt(i * 4, v);
            default -> throw new IllegalArgumentException(type.toString());
        }
    }

    private static double get(DataType type, ByteBuffer b, int i) {
        return switch (type) {
            case DOUBLE -> b.getDouble(i * 8);
            case FLOAT -> b.getFloat(i * 4);
            case LONG -> b.getLong(i * 8);
            case INT -> b.getInt(i * 4);
            default -> throw new IllegalArgumentException(type.toString());
        };
    }
}
