import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import sun.misc.Unsafe;

/**
 * Throwaway: a 1 MiB double sum folded in place with no bulk copies, four ways, timed as `benchmarks fold` times
 * its points (200 folds of warm-up, then the median of 100 timed folds), after checking the sums.
 * Usage: java CopyFreeFold unsafe-direct|unsafe-heap|vh-direct|vh-array
 */
public class CopyFreeFold {
    static final int N = 131072;
    static final Unsafe U;
    static final long ADDRESS;
    static final VarHandle BB = MethodHandles.byteBufferViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle BA = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (Unsafe) f.get(null);
            ADDRESS = U.objectFieldOffset(Buffer.class.getDeclaredField("address"));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Raw addresses, eight elements a step. */
    static void unsafeDirect(ByteBuffer x, ByteBuffer y, int n) {
        long p = U.getLong(x, ADDRESS), q = U.getLong(y, ADDRESS);
        long end = p + ((long) n << 3), stop = end - 64;
        for (; p <= stop; p += 64, q += 64) {
            U.putDouble(p, U.getDouble(p) + U.getDouble(q));
            U.putDouble(p + 8, U.getDouble(p + 8) + U.getDouble(q + 8));
            U.putDouble(p + 16, U.getDouble(p + 16) + U.getDouble(q + 16));
            U.putDouble(p + 24, U.getDouble(p + 24) + U.getDouble(q + 24));
            U.putDouble(p + 32, U.getDouble(p + 32) + U.getDouble(q + 32));
            U.putDouble(p + 40, U.getDouble(p + 40) + U.getDouble(q + 40));
            U.putDouble(p + 48, U.getDouble(p + 48) + U.getDouble(q + 48));
            U.putDouble(p + 56, U.getDouble(p + 56) + U.getDouble(q + 56));
        }
        for (; p < end; p += 8, q += 8) {
            U.putDouble(p, U.getDouble(p) + U.getDouble(q));
        }
    }

    /** A heap buffer's byte[] with array offsets, eight elements a step. */
    static void unsafeHeap(byte[] x, byte[] y, int n) {
        long p = Unsafe.ARRAY_BYTE_BASE_OFFSET, q = p, end = p + ((long) n << 3), stop = end - 64;
        for (; p <= stop; p += 64, q += 64) {
            U.putDouble(x, p, U.getDouble(x, p) + U.getDouble(y, q));
            U.putDouble(x, p + 8, U.getDouble(x, p + 8) + U.getDouble(y, q + 8));
            U.putDouble(x, p + 16, U.getDouble(x, p + 16) + U.getDouble(y, q + 16));
            U.putDouble(x, p + 24, U.getDouble(x, p + 24) + U.getDouble(y, q + 24));
            U.putDouble(x, p + 32, U.getDouble(x, p + 32) + U.getDouble(y, q + 32));
            U.putDouble(x, p + 40, U.getDouble(x, p + 40) + U.getDouble(y, q + 40));
            U.putDouble(x, p + 48, U.getDouble(x, p + 48) + U.getDouble(y, q + 48));
            U.putDouble(x, p + 56, U.getDouble(x, p + 56) + U.getDouble(y, q + 56));
        }
        for (; p < end; p += 8, q += 8) {
            U.putDouble(x, p, U.getDouble(x, p) + U.getDouble(y, q));
        }
    }

    static void vhDirect(ByteBuffer x, ByteBuffer y, int n) {
        for (int o = 0, end = n << 3; o < end; o += 8) {
            BB.set(x, o, (double) BB.get(x, o) + (double) BB.get(y, o));
        }
    }

    static void vhArray(byte[] x, byte[] y, int n) {
        for (int o = 0, end = n << 3; o < end; o += 8) {
            BA.set(x, o, (double) BA.get(x, o) + (double) BA.get(y, o));
        }
    }

    public static void main(String[] args) {
        String mode = args[0];
        byte[] hx = new byte[N * 8], hy = new byte[N * 8];
        ByteBuffer x = ByteBuffer.allocateDirect(N * 8).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer y = ByteBuffer.allocateDirect(N * 8).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer wx = ByteBuffer.wrap(hx).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer wy = ByteBuffer.wrap(hy).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < N; i++) {
            x.putDouble(i * 8, i);
            y.putDouble(i * 8, 0.5);
            wx.putDouble(i * 8, i);
            wy.putDouble(i * 8, 0.5);
        }
        Runnable fold = switch (mode) {
            case "unsafe-direct" -> () -> unsafeDirect(x, y, N);
            case "unsafe-heap" -> () -> unsafeHeap(hx, hy, N);
            case "vh-direct" -> () -> vhDirect(x, y, N);
            case "vh-array" -> () -> vhArray(hx, hy, N);
            default -> throw new IllegalArgumentException(mode);
        };
        fold.run();
        ByteBuffer out = mode.endsWith("direct") ? x : wx;
        for (int i = 0; i < N; i++) {
            if (out.getDouble(i * 8) != i + 0.5) {
                throw new AssertionError(mode + ": element " + i + " is " + out.getDouble(i * 8));
            }
        }
        for (int k = 0; k < 200; k++) {
            fold.run();
        }
        long[] t = new long[100];
        for (int k = 0; k < t.length; k++) {
            long start = System.nanoTime();
            fold.run();
            t[k] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        System.out.printf("%s %s: median %.1f us, best %.1f%n", Runtime.version(), mode, t[50] / 1e3, t[0] / 1e3);
    }
}
