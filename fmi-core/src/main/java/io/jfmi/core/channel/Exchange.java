package io.jfmi.core.channel;

import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The messages of one step of a collective (or one point-to-point call): post sends and receives, then
 * {@link #await()} drives them all to completion on the caller's thread. Reused for every call of its
 * {@link Transport}, so the steady state allocates nothing.
 *
 * <pre>
 *   ex.begin(OpCode.ALLGATHER, call, timeoutMillis, bytes);
 *   ex.send(right, tag, buf, off, len);
 *   ex.recv(left, tag, buf, off2, len);
 *   ex.await();           // both done, or an exception naming the op, job, this rank and the peer
 * </pre>
 */
public final class Exchange {
    private final Transport transport;
    SendRequest[] sends = new SendRequest[4];
    RecvRequest[] recvs = new RecvRequest[4];
    int sendCount;
    int recvCount;
    OpCode op;
    int call;
    long bytes;
    long deadlineNanos;
    long budgetMillis;
    /** A copy within this rank that {@link Transport} makes while the links have nothing to move. */
    private ByteBuffer localFrom;
    private ByteBuffer localTo;
    private int localFromOffset;
    private int localToOffset;
    private int localRemaining;
    /** Bytes of the local copy per slice: tens of µs of memcpy, after which the links are polled again. */
    static final int LOCAL_SLICE_BYTES = 256 * 1024;

    Exchange(Transport transport) {
        this.transport = transport;
        for (int i = 0; i < sends.length; i++) {
            sends[i] = new SendRequest();
            recvs[i] = new RecvRequest();
        }
    }

    /**
     * Starts an operation; {@code call} is the collective's call number (the user tag for send/recv) and
     * {@code bytes} the caller's message size, both quoted in errors.
     */
    public Exchange begin(OpCode op, int call, long timeoutMillis, long bytes) {
        this.op = op;
        this.call = call;
        this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
        this.budgetMillis = timeoutMillis;
        this.bytes = bytes;
        this.sendCount = 0;
        this.recvCount = 0;
        this.localRemaining = 0;
        this.localFrom = null;
        this.localTo = null;
        return this;
    }

    /**
     * A copy within this rank, made by the next {@link #await()} a slice at a time whenever the links have nothing to
     * move (where it would otherwise spin), and finished before that await returns. A rank that copies first and
     * exchanges after waits for its peer anyway: in a 2-rank 16 MiB alltoall the waiting ranks spun for about a third
     * of each call, and the up-front 16 MiB copy of the rank's own block cost 1-3.7 ms of a 17 ms call
     * (benchmarks/RESULTS.md). Positions and limits of both buffers are left alone.
     */
    public Exchange copyWhileWaiting(ByteBuffer from, int fromOffset, ByteBuffer to, int toOffset, int length) {
        if (length == 0 || (from == to && fromOffset == toOffset)) {
            return this;
        }
        localFrom = from;
        localFromOffset = fromOffset;
        localTo = to;
        localToOffset = toOffset;
        localRemaining = length;
        return this;
    }

    /** Copies the next slice of the local copy; false when none is left. */
    boolean copyLocalSlice() {
        if (localRemaining == 0) {
            return false;
        }
        int n = Math.min(LOCAL_SLICE_BYTES, localRemaining);
        localTo.put(localToOffset, localFrom, localFromOffset, n);
        localFromOffset += n;
        localToOffset += n;
        localRemaining -= n;
        if (localRemaining == 0) {
            localFrom = null;
            localTo = null;
        }
        return true;
    }

    /** Copies whatever is left of the local copy. */
    void finishLocalCopy() {
        while (copyLocalSlice()) {
            // slice by slice: the same code path as while waiting
        }
    }

    public Exchange send(int peer, int tag, ByteBuffer buffer, int offset, int length) {
        if (sendCount == sends.length) {
            sends = grow(sends);
        }
        sends[sendCount++].set(peer, op, tag, buffer, offset, length);
        return this;
    }

    public Exchange recv(int peer, int tag, ByteBuffer buffer, int offset, int length) {
        return recv(peer, tag, buffer, offset, length, false);
    }

    /** A receive that also accepts a shorter message (point-to-point); see {@link #receivedBytes(int)}. */
    public Exchange recv(int peer, int tag, ByteBuffer buffer, int offset, int length, boolean allowShorter) {
        if (recvCount == recvs.length) {
            recvs = grow(recvs);
        }
        recvs[recvCount++].set(peer, op, tag, buffer, offset, length, allowShorter);
        return this;
    }

    /** Completes every posted send and receive, then clears them for the next step. */
    public void await() {
        transport.complete(this);
        sendCount = 0;
        recvCount = 0;
    }

    /** Bytes the i-th receive of the last completed step got (before the next {@link #begin}). */
    public int receivedBytes(int i) {
        return recvs[i].received;
    }

    /** Describes the current operation for errors, e.g. "allgather (call #17, 1024 bytes)". */
    public String describe() {
        if (op == OpCode.SEND_RECV) {
            return "send/recv (tag " + call + ", " + bytes + " bytes)";
        }
        return op.displayName() + " (call #" + call + ", " + bytes + " bytes)";
    }

    private static SendRequest[] grow(SendRequest[] a) {
        SendRequest[] b = Arrays.copyOf(a, a.length * 2);
        for (int i = a.length; i < b.length; i++) {
            b[i] = new SendRequest();
        }
        return b;
    }

    private static RecvRequest[] grow(RecvRequest[] a) {
        RecvRequest[] b = Arrays.copyOf(a, a.length * 2);
        for (int i = a.length; i < b.length; i++) {
            b[i] = new RecvRequest();
        }
        return b;
    }
}
