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
        return this;
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
