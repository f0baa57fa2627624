package io.jfmi.core.util;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

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
    // Typed views of each slot's buffer, made on first use and dropped when the slot grows: staging a typed array
    // through a new view each call cost every collective call three objects.
    private final IntBuffer[] ints = new IntBuffer[SLOTS];
    private final LongBuffer[] longs = new LongBuffer[SLOTS];
    private final FloatBuffer[] floats = new FloatBuffer[SLOTS];
    private final DoubleBuffer[] doubles = new DoubleBuffer[SLOTS];

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
            ints[slot] = null;
            longs[slot] = null;
            floats[slot] = null;
            doubles[slot] = null;
        }
        b.clear().limit(bytes);
        return b;
    }

    /** The slot's buffer (as the last {@link #get} left it) as ints from index 0; reused until the slot grows. */
    public IntBuffer ints(int slot) {
        if (ints[slot] == null) {
            ints[slot] = whole(slot).asIntBuffer();
        }
        return ints[slot];
    }

    /** As {@link #ints}, for longs. */
    public LongBuffer longs(int slot) {
        if (longs[slot] == null) {
            longs[slot] = whole(slot).asLongBuffer();
        }
        return longs[slot];
    }

    /** As {@link #ints}, for floats. */
    public FloatBuffer floats(int slot) {
        if (floats[slot] == null) {
            floats[slot] = whole(slot).asFloatBuffer();
        }
        return floats[slot];
    }

    /** As {@link #ints}, for doubles. */
    public DoubleBuffer doubles(int slot) {
        if (doubles[slot] == null) {
            doubles[slot] = whole(slot).asDoubleBuffer();
        }
        return doubles[slot];
    }

    private ByteBuffer whole(int slot) {
        if (slots[slot] == null) {
            throw new IllegalStateException("scratch slot " + slot + " has no buffer yet");
        }
        return slots[slot].duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
    }
}
