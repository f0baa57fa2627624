import java.nio.*;
public class LoopBench {
    static final int CHUNK = 1024;
    static final double[] d1 = new double[CHUNK], d2 = new double[CHUNK];
    static void plain(double[] x, double[] y, int n) { for (int i = 0; i < n; i++) { x[i] += y[i]; } }
    static void unroll4(double[] x, double[] y, int n) {
        int i = 0;
        for (; i + 3 < n; i += 4) { x[i] += y[i]; x[i+1] += y[i+1]; x[i+2] += y[i+2]; x[i+3] += y[i+3]; }
        for (; i < n; i++) { x[i] += y[i]; }
    }
    static void unroll8(double[] x, double[] y, int n) {
        int i = 0;
        for (; i + 7 < n; i += 8) { x[i] += y[i]; x[i+1] += y[i+1]; x[i+2] += y[i+2]; x[i+3] += y[i+3];
            x[i+4] += y[i+4]; x[i+5] += y[i+5]; x[i+6] += y[i+6]; x[i+7] += y[i+7]; }
        for (; i < n; i++) { x[i] += y[i]; }
    }
    // local copies of loads first, then stores (lets C1 schedule loads)
    static void unroll8b(double[] x, double[] y, int n) {
        int i = 0;
        for (; i + 7 < n; i += 8) {
            double a0 = x[i] + y[i], a1 = x[i+1] + y[i+1], a2 = x[i+2] + y[i+2], a3 = x[i+3] + y[i+3];
            double a4 = x[i+4] + y[i+4], a5 = x[i+5] + y[i+5], a6 = x[i+6] + y[i+6], a7 = x[i+7] + y[i+7];
            x[i] = a0; x[i+1] = a1; x[i+2] = a2; x[i+3] = a3; x[i+4] = a4; x[i+5] = a5; x[i+6] = a6; x[i+7] = a7;
        }
        for (; i < n; i++) { x[i] += y[i]; }
    }
    interface Loop { void run(double[] x, double[] y, int n); }
    static void kernel(Loop loop, DoubleBuffer l, DoubleBuffer r, int count) {
        for (int at = 0; at < count; at += CHUNK) {
            int n = Math.min(CHUNK, count - at);
            l.get(at, d1, 0, n); r.get(at, d2, 0, n); loop.run(d1, d2, n); l.put(at, d1, 0, n);
        }
    }
    // direct view get/put per element, no copies
    static void viewLoop(DoubleBuffer l, DoubleBuffer r, int count) {
        for (int i = 0; i < count; i++) { l.put(i, l.get(i) + r.get(i)); }
    }
    // loop only (no copies): the arithmetic's share
    static void loopOnly(Loop loop, int count) {
        for (int at = 0; at < count; at += CHUNK) loop.run(d1, d2, CHUNK);
    }
    public static void main(String[] a) {
        int count = 131072;
        ByteBuffer lb = ByteBuffer.allocateDirect(count * 8).order(ByteOrder.nativeOrder());
        ByteBuffer rb = ByteBuffer.allocateDirect(count * 8).order(ByteOrder.nativeOrder());
        DoubleBuffer l = lb.asDoubleBuffer(), r = rb.asDoubleBuffer();
        for (int i = 0; i < count; i++) { l.put(i, 0); r.put(i, 1e-9); }
        String[] names = {"plain", "unroll4", "unroll8", "unroll8b", "view", "loopOnly-plain", "loopOnly-unroll8b"};
        Loop[] loops = {LoopBench::plain, LoopBench::unroll4, LoopBench::unroll8, LoopBench::unroll8b};
        for (int rep = 0; rep < 2; rep++) {
        for (int k = 0; k < names.length; k++) {
            long best = Long.MAX_VALUE;
            for (int it = 0; it < 600; it++) {
                long t0 = System.nanoTime();
                if (k < 4) kernel(loops[k], l, r, count);
                else if (k == 4) viewLoop(l, r, count);
                else if (k == 5) loopOnly(loops[0], count);
                else loopOnly(loops[3], count);
                long t = System.nanoTime() - t0;
                if (it >= 100) best = Math.min(best, t);
            }
            if (rep == 1) System.out.printf("%-18s %7.1f us%n", names[k], best / 1000.0);
        }}
    }
}
