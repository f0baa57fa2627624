package io.jfmi.core.util;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reusable little-endian direct buffers, one per slot, grown to the largest size asked for: the steady state of
 * a communicator allocates nothing. Slots are fixed by convention (see {@link #STAGING_IN} and friends).
 */
public final class Scratch {
    /** Copy of a typed array sent into a collective. */
    public static final int STAGING_IN = 0;
    /** Where a collective writes a typed array's result before it is copied out. */
    public static final int STAGING_OUT = 1;
    /** Algorithm temporaries. */
    public static final int TEMP_A = 2;
    public static final int TEMP_B = 3;
    /** Holds an intermediate result when one collective is built from others (which use A and B). */
    public static final int TEMP_C = 4;
    private static final int SLOTS = 5;

    private final ByteBuffer[] slots = new ByteBuffer[SLOTS];

    /** A buffer with position 0 and limit {@code bytes}; its contents are unspecified. */
    public ByteBuffer get(int slot, int bytes) {
        ByteBuffer b = slots[slot];
        if (b == null || b.capacity() < bytes) {
            int capacity = Math.max(bytes, 64);
            if (capacity < (1 << 30)) {
                capacity = Integer.highestOneBit(capacity - 1) << 1;
            }
            b = ByteBuffer.allocateDirect(Math.max(capacity, bytes)).order(ByteOrder.LITTLE_ENDIAN);
            slots[slot] = b;
        }
        b.clear().limit(bytes);
        return b;
    }
}
