package io.jfmi.core;

/**
 * {@code x[i] += y[i]} for i below n, eight elements a step: the shape for JVMs without C2 (Lambda runs C1 only by
 * default). C1 neither unrolls nor vectorises, and the plain loop's per-element branch and index update cost it:
 * in {@code benchmarks fold} the loop's share of a 1 MiB double sum under C1 was 51-54 µs in this shape against
 * 74-85 µs plain, where gcc's unrolled scalar loop took 43-57 µs (benchmarks/RESULTS.md). C2 vectorises the plain
 * loop and not this one on JDK 17 (the whole fold 1.4-2.1x slower in this shape), so {@link ReduceLoopChoice}
 * picks it only where C2 is off.
 */
final class UnrolledSums {
    private static final int STEP = 8;

    private UnrolledSums() {
    }

    static void doubles(double[] x, double[] y, int n) {
        int i = 0;
        for (; i + STEP <= n; i += STEP) {
            x[i] += y[i];
            x[i + 1] += y[i + 1];
            x[i + 2] += y[i + 2];
            x[i + 3] += y[i + 3];
            x[i + 4] += y[i + 4];
            x[i + 5] += y[i + 5];
            x[i + 6] += y[i + 6];
            x[i + 7] += y[i + 7];
        }
        for (; i < n; i++) {
            x[i] += y[i];
        }
    }

    static void floats(float[] x, float[] y, int n) {
        int i = 0;
        for (; i + STEP <= n; i += STEP) {
            x[i] += y[i];
            x[i + 1] += y[i + 1];
            x[i + 2] += y[i + 2];
            x[i + 3] += y[i + 3];
            x[i + 4] += y[i + 4];
            x[i + 5] += y[i + 5];
            x[i + 6] += y[i + 6];
            x[i + 7] += y[i + 7];
        }
        for (; i < n; i++) {
            x[i] += y[i];
        }
    }

    static void longs(long[] x, long[] y, int n) {
        int i = 0;
        for (; i + STEP <= n; i += STEP) {
            x[i] += y[i];
            x[i + 1] += y[i + 1];
            x[i + 2] += y[i + 2];
            x[i + 3] += y[i + 3];
            x[i + 4] += y[i + 4];
            x[i + 5] += y[i + 5];
            x[i + 6] += y[i + 6];
            x[i + 7] += y[i + 7];
        }
        for (; i < n; i++) {
            x[i] += y[i];
        }
    }

    static void ints(int[] x, int[] y, int n) {
        int i = 0;
        for (; i + STEP <= n; i += STEP) {
            x[i] += y[i];
            x[i + 1] += y[i + 1];
            x[i + 2] += y[i + 2];
            x[i + 3] += y[i + 3];
            x[i + 4] += y[i + 4];
            x[i + 5] += y[i + 5];
            x[i + 6] += y[i + 6];
            x[i + 7] += y[i + 7];
        }
        for (; i < n; i++) {
            x[i] += y[i];
        }
    }
}
