package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The unrolled sums against the plain loops, for every length around the step and the chunk. */
class UnrolledSumsTest {
    private static final int[] LENGTHS = lengths();

    private static int[] lengths() {
        int[] small = new int[41];
        for (int n = 0; n <= 40; n++) {
            small[n] = n;
        }
        int[] all = java.util.Arrays.copyOf(small, small.length + 3);
        all[41] = ReduceKernels.CHUNK - 1;
        all[42] = ReduceKernels.CHUNK;
        all[43] = ReduceKernels.CHUNK + 7;
        return all;
    }

    @Test
    void doublesMatchThePlainLoop() {
        Random rnd = new Random(1);
        for (int n : LENGTHS) {
            double[] x = rnd.doubles(n + 3).toArray();
            double[] y = rnd.doubles(n + 3).toArray();
            double[] expected = x.clone();
            ReduceLoops.doubles(BuiltinOp.SUM, expected, y, n);
            UnrolledSums.doubles(x, y, n);
            assertArrayEquals(expected, x, "n=" + n + " (the 3 elements past n must stay untouched)");
        }
    }

    @Test
    void floatsMatchThePlainLoop() {
        Random rnd = new Random(2);
        for (int n : LENGTHS) {
            float[] x = new float[n + 3];
            float[] y = new float[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextFloat();
                y[i] = rnd.nextFloat();
            }
            float[] expected = x.clone();
            ReduceLoops.floats(BuiltinOp.SUM, expected, y, n);
            UnrolledSums.floats(x, y, n);
            assertArrayEquals(expected, x, "n=" + n);
        }
    }

    @Test
    void longsMatchThePlainLoopIncludingOverflow() {
        Random rnd = new Random(3);
        for (int n : LENGTHS) {
            long[] x = rnd.longs(n + 3).toArray();
            long[] y = rnd.longs(n + 3).toArray();
            long[] expected = x.clone();
            ReduceLoops.longs(BuiltinOp.SUM, expected, y, n);
            UnrolledSums.longs(x, y, n);
            assertArrayEquals(expected, x, "n=" + n);
        }
    }

    @Test
    void intsMatchThePlainLoopIncludingOverflow() {
        Random rnd = new Random(4);
        for (int n : LENGTHS) {
            int[] x = rnd.ints(n + 3).toArray();
            int[] y = rnd.ints(n + 3).toArray();
            int[] expected = x.clone();
            ReduceLoops.ints(BuiltinOp.SUM, expected, y, n);
            UnrolledSums.ints(x, y, n);
            assertArrayEquals(expected, x, "n=" + n);
        }
    }
}
