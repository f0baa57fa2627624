package io.jfmi.core.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * A link's byte stream that fails on purpose after a number of written bytes (tests and recovery measurements):
 * it either closes the connection (the peer reads end of stream, this side an error) or freezes it (nothing more is
 * read or written, as when a NAT drops the flow silently).
 */
public final class FaultyIo implements LinkIo {
    private final LinkIo inner;
    private final long afterBytes;
    private final boolean cut;
    private long written;
    private boolean tripped;

    public FaultyIo(LinkIo inner, long afterBytes, boolean cut) {
        this.inner = inner;
        this.afterBytes = afterBytes;
        this.cut = cut;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (tripped) {
            if (cut) {
                throw new ClosedChannelException();
            }
            return 0;
        }
        return inner.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (tripped || written >= afterBytes) {
            return trip();
        }
        long allowed = afterBytes - written;
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
        written += n;
        if (written >= afterBytes) {
            tripped = true;
            if (cut) {
                inner.close();
            }
        }
        return n;
    }

    private long trip() throws IOException {
        tripped = true;
        if (cut) {
            inner.close();
            throw new ClosedChannelException();
        }
        return 0;
    }

    @Override
    public boolean flush() throws IOException {
        if (!tripped) {
            return inner.flush();
        }
        if (cut) {
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
