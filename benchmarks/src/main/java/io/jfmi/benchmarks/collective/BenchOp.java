package io.jfmi.benchmarks.collective;

import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;
import io.jfmi.core.DataType;
import io.jfmi.core.ReduceOp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The collectives the benchmark times, each with buffers prepared once per size (no staging copies: direct
 * ByteBuffers), and a check of one call's result against values computed independently.
 * Size means bytes contributed per rank (ignored by barrier; for alltoall, bytes sent to each peer, as OSU).
 */
public enum BenchOp {
    BARRIER {
        @Override
        void call(Communicator c, Buffers b) {
            c.barrier();
        }

        @Override
        String verify(Communicator c, Buffers b) {
            c.barrier();
            return null;
        }
    },
    BCAST {
        @Override
        void call(Communicator c, Buffers b) {
            c.bcast(b.inData, 0);
        }

        @Override
        String verify(Communicator c, Buffers b) {
            b.fillIn(c.rank() == 0 ? 0 : 99);
            c.bcast(b.inData, 0);
            return b.checkLongs(b.in, 0, i -> value(0, i), "bcast");
        }
    },
    ALLGATHER {
        @Override
        void call(Communicator c, Buffers b) {
            c.allgather(b.inData, b.outAll);
        }

        @Override
        String verify(Communicator c, Buffers b) {
            b.fillIn(c.rank());
            c.allgather(b.inData, b.outAll);
            for (int r = 0; r < c.size(); r++) {
                int rank = r;
                String bad = b.checkLongs(b.out, r * b.longs, i -> value(rank, i), "allgather block " + r);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }
    },
    REDUCE {
        @Override
        void call(Communicator c, Buffers b) {
            c.reduce(b.inData, c.rank() == 0 ? b.outOne : null, ReduceOp.SUM, 0);
        }

        @Override
        String verify(Communicator c, Buffers b) {
            b.fillIn(c.rank());
            c.reduce(b.inData, c.rank() == 0 ? b.outOne : null, ReduceOp.SUM, 0);
            return c.rank() == 0 ? b.checkLongs(b.out, 0, i -> sumOfValues(c.size(), i), "reduce") : null;
        }
    },
    ALLTOALL {
        @Override
        void call(Communicator c, Buffers b) {
            c.alltoall(b.inAll, b.outAll);
        }

        @Override
        String verify(Communicator c, Buffers b) {
            for (int p = 0; p < c.size(); p++) {
                for (int i = 0; i < b.longs; i++) {
                    b.inWhole.putLong((p * b.longs + i) * 8, value(c.rank(), p * 100_000L + i));
                }
            }
            c.alltoall(b.inAll, b.outAll);
            for (int p = 0; p < c.size(); p++) {
                int from = p;
                String bad = b.checkLongs(b.out, p * b.longs, i -> value(from, c.rank() * 100_000L + i),
                        "alltoall block from " + p);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }
    },
    ALLREDUCE {
        @Override
        void call(Communicator c, Buffers b) {
            c.allreduce(b.inData, b.outOne, ReduceOp.SUM);
        }

        @Override
        String verify(Communicator c, Buffers b) {
            b.fillIn(c.rank());
            c.allreduce(b.inData, b.outOne, ReduceOp.SUM);
            return b.checkLongs(b.out, 0, i -> sumOfValues(c.size(), i), "allreduce");
        }
    };

    abstract void call(Communicator c, Buffers b);

    /** Runs one call on known data; returns null when right, else what is wrong. */
    abstract String verify(Communicator c, Buffers b);

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BenchOp parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown op '" + s + "'; known: barrier, bcast, allgather, reduce, "
                    + "allreduce, alltoall");
        }
    }

    static long value(int rank, long i) {
        return rank * 1_000_003L + i * 7;
    }

    static long sumOfValues(int n, long i) {
        long s = 0;
        for (int r = 0; r < n; r++) {
            s += value(r, i);
        }
        return s;
    }

    interface LongAt {
        long at(long i);
    }

    /** Buffers for one size: whole longs where the size allows, raw bytes otherwise. */
    static final class Buffers {
        final int bytes;
        final int longs;
        final ByteBuffer in;
        final ByteBuffer inWhole;
        final ByteBuffer out;
        final DataBuffer inData;
        final DataBuffer inAll;
        final DataBuffer outOne;
        final DataBuffer outAll;

        Buffers(int bytes, int ranks) {
            this.bytes = bytes;
            this.longs = bytes / 8;
            DataType type = bytes % 8 == 0 ? DataType.LONG : DataType.BYTE;
            inWhole = ByteBuffer.allocateDirect(bytes * ranks).order(ByteOrder.LITTLE_ENDIAN);
            in = inWhole.duplicate().limit(bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
            out = ByteBuffer.allocateDirect(bytes * ranks).order(ByteOrder.LITTLE_ENDIAN);
            inData = DataBuffer.of(in, type);
            inAll = DataBuffer.of(inWhole, type);
            outOne = DataBuffer.of(out.duplicate().limit(bytes), type);
            outAll = DataBuffer.of(out, type);
        }

        void fillIn(int rank) {
            for (int i = 0; i < longs; i++) {
                in.putLong(i * 8, value(rank, i));
            }
        }

        String checkLongs(ByteBuffer b, int firstLong, LongAt expected, String what) {
            for (int i = 0; i < longs; i++) {
                long got = b.getLong((firstLong + i) * 8);
                if (got != expected.at(i)) {
                    return what + ": element " + i + " is " + got + ", expected " + expected.at(i);
                }
            }
            return null;
        }
    }
}
