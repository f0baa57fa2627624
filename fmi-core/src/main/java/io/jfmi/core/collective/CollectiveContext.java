package io.jfmi.core.collective;

import io.jfmi.core.Tuning;
import io.jfmi.core.channel.Exchange;
import io.jfmi.core.channel.Tags;
import io.jfmi.core.channel.Transport;
import io.jfmi.core.util.Scratch;
import io.jfmi.protocol.OpCode;
import java.nio.ByteBuffer;

/**
 * What every collective needs: this rank's place in the job, the transport's exchange, scratch buffers, the
 * per-call deadline and a call counter that all ranks advance in step (it becomes the high bits of every tag).
 */
public final class CollectiveContext {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    private final Transport transport;
    private final Scratch scratch;
    private final long timeoutMillis;
    private final Tuning tuning;
    private int call;

    public CollectiveContext(Transport transport, Scratch scratch, long timeoutMillis, Tuning tuning) {
        this.transport = transport;
        this.scratch = scratch;
        this.timeoutMillis = timeoutMillis;
        this.tuning = tuning;
    }

    public int rank() {
        return transport.rank();
    }

    public int size() {
        return transport.size();
    }

    public Scratch scratch() {
        return scratch;
    }

    public Tuning tuning() {
        return tuning;
    }

    /** Starts a new call: advances the call counter and its deadline. */
    public Exchange begin(OpCode op, long bytes) {
        call++;
        return transport.exchange().begin(op, call, timeoutMillis, bytes);
    }

    /** Tag for {@code round} of the current call. */
    public int tag(int round) {
        return Tags.of(call, round);
    }

    /** A zero-length buffer for messages that carry only their arrival (barrier). */
    static ByteBuffer empty() {
        return EMPTY;
    }
}
