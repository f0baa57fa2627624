package io.jfmi.core;

import static io.jfmi.core.CollectivesTest.MATMUL;
import static io.jfmi.core.CollectivesTest.matrixOf;
import static io.jfmi.core.CollectivesTest.multiply;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The complete collective set: every op at N = 1..8 (and 16 once), sizes around each algorithm threshold, every
 * forced algorithm, non-commutative ops, uneven counts; each result checked against a reference computed here.
 */
class MoreCollectivesTest {
    /**
     * Sizes in doubles: empty, one, odd, just under/over the 256 KiB ring threshold (32768 doubles), just over the
     * 512 KiB halving-doubling threshold, larger.
     */
    static final int[] COUNTS = {0, 1, 7, 32_767, 32_769, 65_537, 140_001};

    static double value(int rank, int i) {
        return ((rank * 131 + i * 17) % 1000) / 4.0;
    }

    static double[] vector(int rank, int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = value(rank, i);
        }
        return v;
    }

    static double[] sumOver(int n, int count) {
        double[] s = new double[count];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < count; i++) {
                s[i] += value(r, i);
            }
        }
        return s;
    }

    static double[] matrixProduct(int from, int toInclusive) {
        double[] m = matrixOf(from);
        for (int r = from + 1; r <= toInclusive; r++) {
            m = multiply(m, matrixOf(r));
        }
        return m;
    }

    /**
     * The large-vector algorithms read a rank's own vector where it lies instead of copying it first: a direct send
     * buffer (used in place, not staged) must come back as it went in, whatever the algorithm.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void aDirectSendBufferIsReadNeverWritten(int n) throws Exception {
        int count = 70_001;
        for (Tuning.AllreduceAlgorithm algo : Tuning.AllreduceAlgorithm.values()) {
            List<String> problems = ThreadedJob.run(n,
                    b -> b.tuning(Tuning.defaults().withAllreduce(algo).withSegmentBytes(16 * 1024)), comm -> {
                        ByteBuffer send = direct(count);
                        for (int i = 0; i < count; i++) {
                            send.putDouble(i * Double.BYTES, value(comm.rank(), i));
                        }
                        ByteBuffer sum = direct(count);
                        comm.allreduce(DataBuffer.of(send, DataType.DOUBLE), DataBuffer.of(sum, DataType.DOUBLE),
                                ReduceOp.SUM);
                        int block = count / n;
                        ByteBuffer mine = direct(block);
                        comm.reduceScatter(DataBuffer.of(send.duplicate().limit(block * n * Double.BYTES),
                                DataType.DOUBLE), DataBuffer.of(mine, DataType.DOUBLE), ReduceOp.SUM);
                        double[] expected = sumOver(n, count);
                        StringBuilder wrong = new StringBuilder();
                        for (int i = 0; i < count; i++) {
                            if (send.getDouble(i * Double.BYTES) != value(comm.rank(), i)) {
                                wrong.append(" send[").append(i).append("] changed");
                                break;
                            }
                            if (sum.getDouble(i * Double.BYTES) != expected[i]) {
                                wrong.append(" sum[").append(i).append("] wrong");
                                break;
                            }
                        }
                        for (int i = 0; i < block; i++) {
                            if (mine.getDouble(i * Double.BYTES) != expected[comm.rank() * block + i]) {
                                wrong.append(" reduceScatter[").append(i).append("] wrong");
                                break;
                            }
                        }
                        return wrong.toString();
                    });
            for (int r = 0; r < n; r++) {
                assertEquals("", problems.get(r), algo + ", rank " + r + " of " + n);
            }
        }
    }

    private static ByteBuffer direct(int doubles) {
        return ByteBuffer.allocateDirect(doubles * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void allreduceEveryAlgorithmAndSize(int n) throws Exception {
        for (Tuning.AllreduceAlgorithm algo : Tuning.AllreduceAlgorithm.values()) {
            List<List<double[]>> results = ThreadedJob.run(n,
                    b -> b.tuning(Tuning.defaults().withAllreduce(algo).withSegmentBytes(16 * 1024)), comm -> {
                        List<double[]> out = new ArrayList<>();
                        for (int count : COUNTS) {
                            double[] r = new double[count];
                            comm.allreduce(DataBuffer.of(vector(comm.rank(), count)), DataBuffer.of(r), ReduceOp.SUM);
                            out.add(r);
                        }
                        int[] max = {comm.rank() * 3, -comm.rank()};
                        comm.allreduce(DataBuffer.of(max), ReduceOp.MAX);
                        out.add(new double[] {max[0], max[1]});
                        double[] m = new double[4];
                        comm.allreduce(DataBuffer.of(matrixOf(comm.rank())), DataBuffer.of(m), MATMUL);
                        out.add(m);
                        return out;
                    });
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < COUNTS.length; c++) {
                    assertArrayEquals(sumOver(n, COUNTS[c]), results.get(r).get(c), 1e-6,
                            algo + " rank " + r + " count " + COUNTS[c]);
                }
                assertArrayEquals(new double[] {(n - 1) * 3, 0}, results.get(r).get(COUNTS.length), algo + " max");
                assertArrayEquals(matrixProduct(0, n - 1), results.get(r).get(COUNTS.length + 1), 1e-9,
                        algo + " non-commutative rank " + r);
            }
        }
    }

    /** x op y = y: associative, not commutative, element-wise; a reduce must return the last rank's vector. */
    static final ReduceOp LAST = ReduceOp.ofDoubles("last", false, (x, y) -> y);

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 8})
    void largeReducesGoUpTheTreeInSegmentsToEveryRoot(int n) throws Exception {
        int count = 40_001; // 20 segments of 16 KiB, the last one short
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, LAST}) {
            for (int root = 0; root < n; root++) {
                int theRoot = root;
                List<double[]> results = ThreadedJob.run(n,
                        b -> b.tuning(Tuning.defaults().withSegmentBytes(16 * 1024)), comm -> {
                            double[] out = comm.rank() == theRoot ? new double[count] : null;
                            comm.reduce(DataBuffer.of(vector(comm.rank(), count)),
                                    out == null ? null : DataBuffer.of(out), op, theRoot);
                            return out;
                        });
                double[] expected = op == LAST ? vector(n - 1, count) : sumOver(n, count);
                assertArrayEquals(expected, results.get(root), 1e-6, op.name() + " to root " + root);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 6, 8, 9})
    void commutativeTreesReduceWholeAndSegmentedVectorsToEveryRoot(int n) throws Exception {
        for (Tuning.ReduceAlgorithm tree : new Tuning.ReduceAlgorithm[] {Tuning.ReduceAlgorithm.HALVING,
            Tuning.ReduceAlgorithm.BINARY}) {
            for (int count : new int[] {257, 40_001}) { // one 16 KiB segment or less, and 20 of them
                for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, LAST}) { // LAST is not commutative: binomial
                    for (int root = 0; root < n; root += Math.max(1, n / 3)) {
                        int theRoot = root;
                        List<double[]> results = ThreadedJob.run(n, b -> b.tuning(Tuning.defaults()
                                .withReduce(tree).withSegmentBytes(16 * 1024)), comm -> {
                                    double[] out = comm.rank() == theRoot ? new double[count] : null;
                                    comm.reduce(DataBuffer.of(vector(comm.rank(), count)),
                                            out == null ? null : DataBuffer.of(out), op, theRoot);
                                    return out;
                                });
                        double[] expected = op == LAST ? vector(n - 1, count) : sumOver(n, count);
                        assertArrayEquals(expected, results.get(root), 1e-6,
                                tree + " " + op.name() + " of " + count + " to root " + root);
                    }
                }
            }
        }
    }

    /**
     * The larger of two whole vectors in lexicographic order: commutative and associative, but not element-wise, so
     * a vector must never be folded block by block (a ring would mix blocks of different ranks).
     */
    static final ReduceOp LEXICOGRAPHIC_MAX = ReduceOp.custom("lexmax", true, true, (l, r, out, type, count) -> {
        int larger = 0;
        for (int i = 0; i < count && larger == 0; i++) {
            larger = Double.compare(l.getDouble(8 * i), r.getDouble(8 * i));
        }
        ByteBuffer winner = larger >= 0 ? l : r;
        for (int i = 0; i < count; i++) {
            out.putDouble(8 * i, winner.getDouble(8 * i));
        }
    });

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 5})
    void aWholeVectorOpGetsWholeVectorsAboveTheRingThreshold(int n) throws Exception {
        int count = 140_001; // 1.1 MB: above both ring thresholds
        List<double[]> results = ThreadedJob.run(n, comm -> {
            double[] v = new double[count];
            for (int i = 0; i < count; i++) {
                v[i] = i == 0 ? comm.rank() : -comm.rank() * (double) i; // rank n-1 wins on its first element only
            }
            comm.allreduce(DataBuffer.of(v), LEXICOGRAPHIC_MAX);
            return v;
        });
        double[] expected = new double[count];
        for (int i = 0; i < count; i++) {
            expected[i] = i == 0 ? n - 1 : -(n - 1) * (double) i;
        }
        for (int r = 0; r < n; r++) {
            assertArrayEquals(expected, results.get(r), 0.0, "rank " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void fourMebibyteAllreduceInSegments(int n) throws Exception {
        int count = (4 << 20) / 8;
        List<double[]> results = ThreadedJob.run(n, b -> b.tuning(Tuning.defaults().withSegmentBytes(64 * 1024)),
                comm -> {
                    double[] v = vector(comm.rank(), count);
                    comm.allreduce(DataBuffer.of(v), ReduceOp.SUM);
                    return v;
                });
        double[] expected = sumOver(n, count);
        for (double[] r : results) {
            assertArrayEquals(expected, r, 1e-6);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8})
    void scanAndExscanKeepRankOrder(int n) throws Exception {
        List<double[][]> results = ThreadedJob.run(n, comm -> {
            double[] inc = new double[5];
            double[] exc = {-1, -1, -1, -1, -1};
            comm.scan(DataBuffer.of(vector(comm.rank(), 5)), DataBuffer.of(inc), ReduceOp.SUM);
            comm.exscan(DataBuffer.of(vector(comm.rank(), 5)), DataBuffer.of(exc), ReduceOp.SUM);
            double[] mInc = new double[4];
            double[] mExc = new double[4];
            comm.scan(DataBuffer.of(matrixOf(comm.rank())), DataBuffer.of(mInc), MATMUL);
            comm.exscan(DataBuffer.of(matrixOf(comm.rank())), DataBuffer.of(mExc), MATMUL);
            return new double[][] {inc, exc, mInc, mExc};
        });
        for (int r = 0; r < n; r++) {
            assertArrayEquals(sumOver(r + 1, 5), results.get(r)[0], 1e-9, "scan rank " + r);
            assertArrayEquals(r == 0 ? new double[] {-1, -1, -1, -1, -1} : sumOver(r, 5), results.get(r)[1], 1e-9,
                    "exscan rank " + r);
            assertArrayEquals(matrixProduct(0, r), results.get(r)[2], 1e-9, "matmul scan rank " + r);
            if (r > 0) {
                assertArrayEquals(matrixProduct(0, r - 1), results.get(r)[3], 1e-9, "matmul exscan rank " + r);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 6, 8})
    void reduceScatterEqualUnevenAndNonCommutative(int n) throws Exception {
        int[] uneven = new int[n];
        for (int r = 0; r < n; r++) {
            uneven[r] = (r * 5) % 7;
        }
        int unevenTotal = Arrays.stream(uneven).sum();
        List<double[][]> results = ThreadedJob.run(n, b -> b.tuning(Tuning.defaults().withSegmentBytes(1024)),
                comm -> {
                    double[] equal = new double[1000];
                    comm.reduceScatter(DataBuffer.of(vector(comm.rank(), 1000 * comm.size())), DataBuffer.of(equal),
                            ReduceOp.SUM);
                    double[] mine = new double[uneven[comm.rank()]];
                    comm.reduceScatter(DataBuffer.of(vector(comm.rank(), unevenTotal)), DataBuffer.of(mine), uneven,
                            ReduceOp.SUM);
                    double[] mats = new double[4 * comm.size()];
                    for (int b = 0; b < comm.size(); b++) {
                        System.arraycopy(matrixOf(comm.rank() + b), 0, mats, 4 * b, 4);
                    }
                    double[] m = new double[4];
                    comm.reduceScatter(DataBuffer.of(mats), DataBuffer.of(m), MATMUL);
                    return new double[][] {equal, mine, m};
                });
        double[] all = sumOver(n, 1000 * n);
        double[] allUneven = sumOver(n, unevenTotal);
        int at = 0;
        for (int r = 0; r < n; r++) {
            assertArrayEquals(Arrays.copyOfRange(all, r * 1000, (r + 1) * 1000), results.get(r)[0], 1e-9);
            assertArrayEquals(Arrays.copyOfRange(allUneven, at, at + uneven[r]), results.get(r)[1], 1e-9);
            at += uneven[r];
            double[] expected = matrixOf(r);
            for (int q = 1; q < n; q++) {
                expected = multiply(expected, matrixOf(q + r));
            }
            assertArrayEquals(expected, results.get(r)[2], 1e-9, "non-commutative block " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void alltoallSmallLargeAndUneven(int n) throws Exception {
        for (int block : new int[] {1, 3, 20_000}) {
            List<long[]> results = ThreadedJob.run(n, comm -> {
                long[] send = new long[block * comm.size()];
                for (int p = 0; p < comm.size(); p++) {
                    for (int i = 0; i < block; i++) {
                        send[p * block + i] = comm.rank() * 1_000_000L + p * 1000L + i;
                    }
                }
                long[] recv = new long[send.length];
                comm.alltoall(DataBuffer.of(send), DataBuffer.of(recv));
                return recv;
            });
            for (int r = 0; r < n; r++) {
                for (int p = 0; p < n; p++) {
                    for (int i = 0; i < block; i++) {
                        assertEquals(p * 1_000_000L + r * 1000L + i, results.get(r)[p * block + i]);
                    }
                }
            }
        }
        List<int[]> v = ThreadedJob.run(n, comm -> {
            int k = comm.size();
            int[] sendCounts = new int[k];
            int[] recvCounts = new int[k];
            for (int p = 0; p < k; p++) {
                sendCounts[p] = (comm.rank() + p) % 3;
                recvCounts[p] = (p + comm.rank()) % 3;
            }
            int[] send = new int[Arrays.stream(sendCounts).sum()];
            int at = 0;
            for (int p = 0; p < k; p++) {
                for (int i = 0; i < sendCounts[p]; i++) {
                    send[at++] = comm.rank() * 100 + p * 10 + i;
                }
            }
            int[] recv = new int[Arrays.stream(recvCounts).sum()];
            comm.alltoallv(DataBuffer.of(send), sendCounts, DataBuffer.of(recv), recvCounts);
            return recv;
        });
        for (int r = 0; r < n; r++) {
            List<Integer> expected = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < (p + r) % 3; i++) {
                    expected.add(p * 100 + r * 10 + i);
                }
            }
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), v.get(r), "rank " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void alltoallOnEveryAlgorithmDeliversEveryBlockToItsRank(int n) throws Exception {
        // Bruck's rounds forward blocks through other ranks: every rank count (powers of two and not) and block
        // size, twice per size so a call starts from the scratch its predecessor left.
        int[] counts = {0, 1, 3, 300};
        for (Tuning.AlltoallAlgorithm algo : Tuning.AlltoallAlgorithm.values()) {
            List<List<int[]>> results = ThreadedJob.run(n, b -> b.tuning(Tuning.defaults().withAlltoall(algo)),
                    comm -> {
                        List<int[]> received = new ArrayList<>();
                        for (int count : counts) {
                            for (int call = 0; call < 2; call++) {
                                int[] send = new int[count * comm.size()];
                                for (int i = 0; i < send.length; i++) {
                                    send[i] = comm.rank() * 1_000_000 + call * 100_000 + i;
                                }
                                int[] recv = new int[send.length];
                                Arrays.fill(recv, -1);
                                comm.alltoall(DataBuffer.of(send), DataBuffer.of(recv));
                                received.add(recv);
                            }
                        }
                        return received;
                    });
            for (int r = 0; r < n; r++) {
                int c = 0;
                for (int count : counts) {
                    for (int call = 0; call < 2; call++, c++) {
                        int[] expected = new int[count * n];
                        for (int p = 0; p < n; p++) {
                            for (int i = 0; i < count; i++) {
                                expected[p * count + i] = p * 1_000_000 + call * 100_000 + r * count + i;
                            }
                        }
                        assertArrayEquals(expected, results.get(r).get(c),
                                algo + ", rank " + r + " of " + n + ", " + count + " ints per block, call " + call);
                    }
                }
            }
        }
    }

    @Test
    void anAlltoallvAgainstAnAlltoallOfTheSameCountsFailsOnEveryRankInsteadOfHanging() throws Exception {
        // Rank 0 calls alltoallv (posted), the others alltoall (Bruck at 4 ranks): a caller's error, which must end
        // in an exception on every rank within the operation timeout, not in wrong data or a hang.
        int n = 4;
        List<ThreadedJob.Outcome<int[]>> outcomes = ThreadedJob.runCollectingFailures(n,
                b -> b.operationTimeout(Duration.ofSeconds(3)), comm -> {
                    int[] send = new int[n];
                    Arrays.fill(send, comm.rank());
                    int[] recv = new int[n];
                    int[] ones = {1, 1, 1, 1};
                    if (comm.rank() == 0) {
                        comm.alltoallv(DataBuffer.of(send), ones, DataBuffer.of(recv), ones);
                    } else {
                        comm.alltoall(DataBuffer.of(send), DataBuffer.of(recv));
                    }
                    return recv;
                });
        for (int r = 0; r < n; r++) {
            Throwable error = outcomes.get(r).error();
            assertNotNull(error, "rank " + r + " returned "
                    + Arrays.toString(outcomes.get(r).value()));
            assertInstanceOf(FmiException.class, error, "rank " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void alltoallOfBlocksLargerThanManyLocalCopySlicesKeepsEveryByte(int n) throws Exception {
        // The rank's own block is copied in 256 KiB slices while the exchange waits: 2.4 MB is ten slices.
        int block = 300_000;
        List<long[]> results = ThreadedJob.run(n, comm -> {
            long[] send = new long[block * comm.size()];
            for (int i = 0; i < send.length; i++) {
                send[i] = comm.rank() * 10_000_000L + i;
            }
            long[] recv = new long[send.length];
            for (int round = 0; round < 2; round++) { // a second call reuses the exchange after a finished copy
                Arrays.fill(recv, -1);
                comm.alltoall(DataBuffer.of(send), DataBuffer.of(recv));
            }
            return recv;
        });
        for (int r = 0; r < n; r++) {
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < block; i++) {
                    long expected = p * 10_000_000L + (long) r * block + i;
                    if (results.get(r)[p * block + i] != expected) {
                        assertEquals(expected, results.get(r)[p * block + i], "rank " + r + ", block from " + p
                                + ", element " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void alltoallvWhereRanksChooseDifferentAlgorithms(int n) throws Exception {
        // Rank 0 sends 40 KiB to every peer (above the pairwise threshold in total), the others 4 bytes each:
        // rank 0 runs pairwise steps while the others post everything at once, and all must still match up.
        int big = 10 * 1024;
        List<int[]> results = ThreadedJob.run(n, comm -> {
            int[] sendCounts = new int[n];
            int[] recvCounts = new int[n];
            for (int p = 0; p < n; p++) {
                sendCounts[p] = comm.rank() == 0 ? big : 1;
                recvCounts[p] = p == 0 ? big : 1;
            }
            int[] send = new int[Arrays.stream(sendCounts).sum()];
            for (int i = 0; i < send.length; i++) {
                send[i] = comm.rank() * 1_000_000 + i;
            }
            int[] recv = new int[Arrays.stream(recvCounts).sum()];
            comm.alltoallv(DataBuffer.of(send), sendCounts, DataBuffer.of(recv), recvCounts);
            return recv;
        });
        for (int r = 0; r < n; r++) {
            int[] got = results.get(r);
            int at = 0;
            for (int p = 0; p < n; p++) {
                int count = p == 0 ? big : 1;
                int sentFrom = p == 0 ? r * big : r; // where rank p's block for r starts in p's send buffer
                for (int i = 0; i < count; i++) {
                    assertEquals(p * 1_000_000 + sentFrom + i, got[at++], "rank " + r + " block from " + p);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8})
    void scatterGathervAllgathervWithZeroCounts(int n) throws Exception {
        int[] counts = new int[n];
        for (int r = 0; r < n; r++) {
            counts[r] = r % 3 == 1 ? 0 : r + 2;
        }
        int total = Arrays.stream(counts).sum();
        int root = n - 1;
        List<double[][]> results = ThreadedJob.run(n, comm -> {
            double[] scattered = new double[counts[comm.rank()]];
            comm.scatterv(comm.rank() == root ? DataBuffer.of(vector(99, total)) : null, counts,
                    DataBuffer.of(scattered), root);
            double[] gathered = comm.rank() == root ? new double[total] : null;
            comm.gatherv(DataBuffer.of(scattered), gathered == null ? null : DataBuffer.of(gathered), counts, root);
            double[] everywhere = new double[total];
            comm.allgatherv(DataBuffer.of(scattered), DataBuffer.of(everywhere), counts);
            double[] equal = new double[3];
            comm.scatter(comm.rank() == 0 ? DataBuffer.of(vector(5, 3 * comm.size())) : null, DataBuffer.of(equal), 0);
            return new double[][] {gathered, everywhere, equal};
        });
        double[] all = vector(99, total);
        assertArrayEquals(all, results.get(root)[0], 0.0, "gatherv at root");
        for (int r = 0; r < n; r++) {
            assertArrayEquals(all, results.get(r)[1], 0.0, "allgatherv rank " + r);
            assertArrayEquals(Arrays.copyOfRange(vector(5, 3 * n), 3 * r, 3 * r + 3), results.get(r)[2], 0.0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 6, 7, 8})
    void bcastBothAlgorithmsEverySize(int n) throws Exception {
        for (Tuning.BcastAlgorithm algo : Tuning.BcastAlgorithm.values()) {
            int root = n / 3;
            List<List<byte[]>> results = ThreadedJob.run(n, b -> b.tuning(Tuning.defaults().withBcast(algo)),
                    comm -> {
                        List<byte[]> out = new ArrayList<>();
                        for (int size : new int[] {0, 1, 1001, 300_000}) {
                            byte[] buf = new byte[size];
                            if (comm.rank() == root) {
                                for (int i = 0; i < size; i++) {
                                    buf[i] = (byte) (i * 31 + 7);
                                }
                            }
                            comm.bcast(DataBuffer.of(buf), root);
                            out.add(buf);
                        }
                        return out;
                    });
            for (int r = 0; r < n; r++) {
                for (byte[] b : results.get(r)) {
                    for (int i = 0; i < b.length; i++) {
                        if (b[i] != (byte) (i * 31 + 7)) {
                            throw new AssertionError(algo + " rank " + r + " byte " + i + " of " + b.length);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sixteenRanks() throws Exception {
        int n = 16;
        List<double[][]> results = ThreadedJob.run(n, comm -> {
            double[] sum = new double[9000];
            comm.allreduce(DataBuffer.of(vector(comm.rank(), 9000)), DataBuffer.of(sum), ReduceOp.SUM);
            double[] scan = new double[4];
            comm.scan(DataBuffer.of(matrixOf(comm.rank())), DataBuffer.of(scan), MATMUL);
            double[] a2a = new double[n];
            double[] send = new double[n];
            Arrays.fill(send, comm.rank());
            comm.alltoall(DataBuffer.of(send), DataBuffer.of(a2a));
            comm.barrier();
            return new double[][] {sum, scan, a2a};
        });
        double[] expectedA2a = new double[n];
        for (int p = 0; p < n; p++) {
            expectedA2a[p] = p;
        }
        for (int r = 0; r < n; r++) {
            assertArrayEquals(sumOver(n, 9000), results.get(r)[0], 1e-6);
            assertArrayEquals(matrixProduct(0, r), results.get(r)[1], 1e-6);
            assertArrayEquals(expectedA2a, results.get(r)[2], 0.0);
        }
    }

    @Test
    void twoJobsInOneProcessRunConcurrently() throws Exception {
        CompletableFuture<List<double[]>> a = CompletableFuture.supplyAsync(() -> loop(3, 1.0));
        CompletableFuture<List<double[]>> b = CompletableFuture.supplyAsync(() -> loop(4, 2.0));
        for (double[] r : a.get()) {
            assertArrayEquals(new double[] {3 * 1.0 * 200}, r, 0.0);
        }
        for (double[] r : b.get()) {
            assertArrayEquals(new double[] {4 * 2.0 * 200}, r, 0.0);
        }
    }

    private static List<double[]> loop(int n, double x) {
        try {
            return ThreadedJob.run(n, comm -> {
                double total = 0;
                for (int i = 0; i < 200; i++) {
                    double[] s = {x};
                    comm.allreduce(DataBuffer.of(s), ReduceOp.SUM);
                    total += s[0];
                    comm.send((comm.rank() + 1) % comm.size(), i, DataBuffer.of(new double[] {i}));
                    double[] got = new double[1];
                    comm.recv((comm.rank() + comm.size() - 1) % comm.size(), i, DataBuffer.of(got));
                    if (got[0] != i) {
                        throw new AssertionError("tag " + i + " got " + got[0]);
                    }
                }
                return new double[] {total};
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
