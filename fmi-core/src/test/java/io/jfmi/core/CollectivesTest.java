package io.jfmi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every collective at several world sizes, checked against values computed independently here. */
class CollectivesTest {

    /** Deterministic per-rank test data. */
    static double[] doubles(int rank, int count) {
        Random r = new Random(1000L * rank + count);
        double[] a = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = Math.round(r.nextDouble() * 1000) / 8.0;
        }
        return a;
    }

    static int[] ints(int rank, int count) {
        Random r = new Random(77L * rank + count);
        int[] a = new int[count];
        for (int i = 0; i < count; i++) {
            a[i] = r.nextInt(2001) - 1000;
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void noRankLeavesABarrierBeforeTheLastOneEnters(int n) throws Exception {
        int rounds = 30;
        AtomicIntegerArray entered = new AtomicIntegerArray(rounds);
        List<String> early = ThreadedJob.run(n, comm -> {
            StringBuilder violations = new StringBuilder();
            for (int i = 0; i < rounds; i++) {
                if (comm.rank() == i % n) {
                    Thread.sleep(3); // a late rank each round: a barrier that does not wait lets the others run on
                }
                entered.incrementAndGet(i);
                comm.barrier();
                int seen = entered.get(i);
                if (seen != n) {
                    violations.append("round ").append(i).append(": left with ").append(seen).append(" of ")
                            .append(n).append(" entered; ");
                }
            }
            return violations.toString();
        });
        for (int r = 0; r < n; r++) {
            assertEquals("", early.get(r), "rank " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8, 16})
    void allgatherOfIntsAtSeveralSizesAndEveryAlgorithm(int n) throws Exception {
        for (Tuning.AllgatherAlgorithm algo : Tuning.AllgatherAlgorithm.values()) {
            for (int count : new int[] {0, 1, 3, 1025, 40_000}) {
                List<int[]> results = ThreadedJob.run(n,
                        b -> b.tuning(Tuning.defaults().withAllgather(algo)),
                        comm -> {
                            int[] out = new int[count * comm.size()];
                            comm.allgather(DataBuffer.of(ints(comm.rank(), count)), DataBuffer.of(out));
                            return out;
                        });
                int[] expected = new int[count * n];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(ints(r, count), 0, expected, r * count, count);
                }
                for (int r = 0; r < n; r++) {
                    assertArrayEquals(expected, results.get(r), "rank " + r + " " + algo + " count " + count);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void reduceSumMinMaxOfDoublesToEveryRoot(int n) throws Exception {
        int count = 257;
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MIN, ReduceOp.MAX}) {
            for (int root = 0; root < n; root += Math.max(1, n / 3)) {
                int theRoot = root;
                List<double[]> results = ThreadedJob.run(n, comm -> {
                    double[] out = comm.rank() == theRoot ? new double[count] : null;
                    comm.reduce(DataBuffer.of(doubles(comm.rank(), count)), out == null ? null : DataBuffer.of(out),
                            op, theRoot);
                    return out;
                });
                double[] expected = doubles(0, count);
                for (int r = 1; r < n; r++) {
                    double[] x = doubles(r, count);
                    for (int i = 0; i < count; i++) {
                        expected[i] = op == ReduceOp.SUM ? expected[i] + x[i]
                                : op == ReduceOp.MIN ? Math.min(expected[i], x[i]) : Math.max(expected[i], x[i]);
                    }
                }
                assertArrayEquals(expected, results.get(root), 0.0, op.name() + " root " + root);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void reduceEveryTypeWithProdAndBitwise(int n) throws Exception {
        List<long[]> results = ThreadedJob.run(n, comm -> {
            long[] mine = {comm.rank() + 2L, 1L << comm.rank(), ~(1L << comm.rank())};
            long[] prod = new long[1];
            long[] or = new long[1];
            long[] and = new long[1];
            comm.allreduce(DataBuffer.of(new long[] {mine[0]}), DataBuffer.of(prod), ReduceOp.PROD);
            comm.allreduce(DataBuffer.of(new long[] {mine[1]}), DataBuffer.of(or), ReduceOp.BOR);
            comm.allreduce(DataBuffer.of(new long[] {mine[2]}), DataBuffer.of(and), ReduceOp.BAND);
            float[] fsum = new float[2];
            comm.allreduce(DataBuffer.of(new float[] {1.5f, comm.rank()}), DataBuffer.of(fsum), ReduceOp.SUM);
            byte[] bmax = new byte[1];
            comm.allreduce(DataBuffer.of(new byte[] {(byte) (comm.rank() * 3)}), DataBuffer.of(bmax), ReduceOp.MAX);
            ByteBuffer ib = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
            ib.putInt(0, comm.rank()).putInt(4, -comm.rank());
            ByteBuffer ob = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
            comm.allreduce(DataBuffer.of(ib, DataType.INT), DataBuffer.of(ob, DataType.INT), ReduceOp.MIN);
            return new long[] {prod[0], or[0], and[0], (long) fsum[0], (long) fsum[1], bmax[0], ob.getInt(0),
                ob.getInt(4)};
        });
        long prod = 1;
        long or = 0;
        long and = -1;
        for (int r = 0; r < n; r++) {
            prod *= r + 2;
            or |= 1L << r;
            and &= ~(1L << r);
        }
        long[] expected = {prod, or, and, (long) (1.5f * n), (long) n * (n - 1) / 2, (n - 1) * 3, 0, -(n - 1)};
        for (int r = 0; r < n; r++) {
            assertArrayEquals(expected, results.get(r), "rank " + r);
        }
    }

    /** 2x2 matrix product: associative, not commutative. Result must be M0 * M1 * ... * M(n-1). */
    static final ReduceOp MATMUL = ReduceOp.custom("matmul2x2", false, true, (l, r, out, type, count) -> {
        for (int m = 0; m < count / 4; m++) {
            int at = m * 32;
            double a = l.getDouble(at);
            double b = l.getDouble(at + 8);
            double c = l.getDouble(at + 16);
            double d = l.getDouble(at + 24);
            double e = r.getDouble(at);
            double f = r.getDouble(at + 8);
            double g = r.getDouble(at + 16);
            double h = r.getDouble(at + 24);
            out.putDouble(at, a * e + b * g);
            out.putDouble(at + 8, a * f + b * h);
            out.putDouble(at + 16, c * e + d * g);
            out.putDouble(at + 24, c * f + d * h);
        }
    });

    static double[] matrixOf(int rank) {
        return new double[] {1, rank + 1, 0, 1 + (rank % 2)};
    }

    static double[] multiply(double[] x, double[] y) {
        return new double[] {x[0] * y[0] + x[1] * y[2], x[0] * y[1] + x[1] * y[3], x[2] * y[0] + x[3] * y[2],
            x[2] * y[1] + x[3] * y[3]};
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void nonCommutativeOpKeepsRankOrderOnEveryRootAndAlgorithm(int n) throws Exception {
        double[] expected = matrixOf(0);
        for (int r = 1; r < n; r++) {
            expected = multiply(expected, matrixOf(r));
        }
        for (Tuning.ReduceAlgorithm algo : new Tuning.ReduceAlgorithm[] {Tuning.ReduceAlgorithm.BINOMIAL,
            Tuning.ReduceAlgorithm.HALVING, Tuning.ReduceAlgorithm.BINARY, Tuning.ReduceAlgorithm.LINEAR}) {
            int root = n - 1;
            List<double[]> results = ThreadedJob.run(n,
                    b -> b.tuning(Tuning.defaults().withReduce(algo)),
                    comm -> {
                        double[] out = new double[4];
                        comm.reduce(DataBuffer.of(matrixOf(comm.rank())), DataBuffer.of(out), MATMUL, root);
                        double[] all = new double[4];
                        comm.allreduce(DataBuffer.of(matrixOf(comm.rank())), DataBuffer.of(all), MATMUL);
                        return comm.rank() == root ? concat(out, all) : concat(new double[4], all);
                    });
            assertArrayEquals(expected, Arrays.copyOf(results.get(root), 4), 1e-9, "reduce " + algo);
            for (int r = 0; r < n; r++) {
                assertArrayEquals(expected, Arrays.copyOfRange(results.get(r), 4, 8), 1e-9, "allreduce rank " + r);
            }
        }
    }

    static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void bcastAndGatherFromANonZeroRoot(int n) throws Exception {
        int root = n / 2;
        int count = 3001;
        List<double[]> results = ThreadedJob.run(n, comm -> {
            double[] buf = comm.rank() == root ? doubles(99, count) : new double[count];
            comm.bcast(DataBuffer.of(buf), root);
            double[] gathered = comm.rank() == root ? new double[count * comm.size()] : null;
            comm.gather(DataBuffer.of(doubles(comm.rank(), count)), gathered == null ? null : DataBuffer.of(gathered),
                    root);
            return comm.rank() == root ? concat(buf, gathered) : buf;
        });
        for (int r = 0; r < n; r++) {
            assertArrayEquals(doubles(99, count), Arrays.copyOf(results.get(r), count), 0.0, "bcast at rank " + r);
        }
        double[] rootResult = results.get(root);
        for (int r = 0; r < n; r++) {
            int from = count + r * count;
            assertArrayEquals(doubles(r, count), Arrays.copyOfRange(rootResult, from, from + count), 0.0,
                    "gathered block of rank " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void pointToPointMatchesTagsOutOfOrderAndLargeMessages(int n) throws Exception {
        int big = 3 * (1 << 20) + 17;
        List<Boolean> ok = ThreadedJob.run(n, comm -> {
            int right = (comm.rank() + 1) % comm.size();
            int left = (comm.rank() - 1 + comm.size()) % comm.size();
            byte[] payload = new byte[big];
            new Random(comm.rank()).nextBytes(payload);
            if (comm.rank() % 2 == 0) {
                comm.send(right, 7, DataBuffer.of(new int[] {comm.rank(), 7}));
                comm.send(right, 3, DataBuffer.of(new int[] {comm.rank(), 3}));
                comm.send(right, 9, DataBuffer.of(payload));
            }
            int[] m3 = new int[4];
            int[] m7 = new int[2];
            byte[] m9 = new byte[big];
            int got3 = comm.recv(left, 3, DataBuffer.of(m3));
            comm.recv(left, 7, DataBuffer.of(m7));
            comm.recv(left, 9, DataBuffer.of(m9));
            if (comm.rank() % 2 != 0) {
                comm.send(right, 7, DataBuffer.of(new int[] {comm.rank(), 7}));
                comm.send(right, 3, DataBuffer.of(new int[] {comm.rank(), 3}));
                comm.send(right, 9, DataBuffer.of(payload));
            }
            byte[] expected = new byte[big];
            new Random(left).nextBytes(expected);
            return got3 == 2 && m3[0] == left && m3[1] == 3 && m7[0] == left && m7[1] == 7
                    && Arrays.equals(expected, m9);
        });
        assertEquals(List.of(), ok.stream().filter(b -> !b).toList());
    }
}
