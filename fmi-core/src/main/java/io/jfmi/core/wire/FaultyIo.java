package io.jfmi.core.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * A link's byte stream that fails on purpose after a number of written bytes (tests and recovery measurements):
 * it either closes the connection (the peer reads end of stream, this side an error) or freezes it (nothing more is
 * read or written, as when a NAT drops the flow silently). A link with two connections wraps both around one
 * {@link Fault}: the bytes of both count, and both fail together.
 */
public final class FaultyIo implements LinkIo {
    /** The failure shared by the connections of one link. */
    public static final class Fault {
        private final long afterBytes;
        private final boolean cut;
        private final java.util.List<LinkIo> connections = new java.util.ArrayList<>();
        private long written;
        private boolean tripped;

        public Fault(long afterBytes, boolean cut) {
            this.afterBytes = afterBytes;
            this.cut = cut;
        }

        private void trip() throws IOException {
            tripped = true;
            if (cut) {
                for (LinkIo c : connections) {
                    c.close();
                }
            }
        }
    }

    private final LinkIo inner;
    private final Fault fault;

    public FaultyIo(LinkIo inner, long afterBytes, boolean cut) {
        this(inner, new Fault(afterBytes, cut));
    }

    public FaultyIo(LinkIo inner, Fault fault) {
        this.inner = inner;
        this.fault = fault;
        fault.connections.add(inner);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (fault.tripped) {
            if (fault.cut) {
                throw new ClosedChannelException();
            }
            return 0;
        }
        return inner.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (fault.tripped || fault.written >= fault.afterBytes) {
            return trip();
        }
        long allowed = fault.afterBytes - fault.written;
        long total = 0;
        int[] savedLimits = new int[length];
        for (int i = 0; i < length; i++) {
            ByteBuffer b = srcs[offset + i];
            savedLimits[i] = b.limit();
            int take = (int) Math.min(b.remaining(), Math.max(0, allowed - total));
            b.limit(b.position() + take);
            total += take;
        }
        long n;
        try {
            n = inner.write(srcs, offset, length);
        } finally {
            for (int i = 0; i < length; i++) {
                srcs[offset + i].limit(savedLimits[i]);
            }
        }
        fault.written += n;
        if (fault.written >= fault.afterBytes) {
            fault.trip();
        }
        return n;
    }

    private long trip() throws IOException {
        fault.trip();
        if (fault.cut) {
            throw new ClosedChannelException();
        }
        return 0;
    }

    @Override
    public boolean flush() throws IOException {
        if (!fault.tripped) {
            return inner.flush();
        }
        if (fault.cut) {
            throw new ClosedChannelException();
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String protection() {
        return inner.protection();
    }
}
