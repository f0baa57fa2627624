package io.jfmi.core;

import io.jfmi.core.util.ByteSizes;
import io.jfmi.core.util.Scratch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Typed data handed to a {@link Communicator}: a Java array or a ByteBuffer region (position..limit, read as
 * little-endian elements). Arrays of multi-byte types are staged through the communicator's reusable direct
 * buffers; {@code byte[]} and ByteBuffers are used in place. Keep and reuse a DataBuffer in a hot loop: calls on
 * the same DataBuffer allocate nothing.
 */
public final class DataBuffer {
    private final DataType type;
    private final int count;
    private final Object array;
    /**
     * The little-endian view handed to collectives for data used in place (a ByteBuffer region or a byte[]), null
     * for staged arrays. Made here rather than on first use: a lazily made view is a branch that a fresh DataBuffer
     * takes once, after the JIT has compiled the data path on reused ones, and that first call deoptimizes it
     * (measured: an uncommon trap in readView on every rank of a 4-rank benchmark when a point's fresh buffers met
     * code compiled on the warm-up's; readView was compiled again late in the warm-up or in the timed calls).
     */
    private final ByteBuffer inPlaceView;

    private DataBuffer(DataType type, int count, Object array, ByteBuffer inPlaceView) {
        ByteSizes.product(count, type.size(), "a buffer of " + count + " " + type + " elements");
        this.type = type;
        this.count = count;
        this.array = array;
        this.inPlaceView = inPlaceView;
    }

    public static DataBuffer of(byte[] a) {
        return new DataBuffer(DataType.BYTE, a.length, a, ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN));
    }

    public static DataBuffer of(int[] a) {
        return new DataBuffer(DataType.INT, a.length, a, null);
    }

    public static DataBuffer of(long[] a) {
        return new DataBuffer(DataType.LONG, a.length, a, null);
    }

    public static DataBuffer of(float[] a) {
        return new DataBuffer(DataType.FLOAT, a.length, a, null);
    }

    public static DataBuffer of(double[] a) {
        return new DataBuffer(DataType.DOUBLE, a.length, a, null);
    }

    /** The bytes from position to limit of {@code b}, as elements of {@code type}. */
    public static DataBuffer of(ByteBuffer b, DataType type) {
        Objects.requireNonNull(b, "buffer");
        if (b.remaining() % type.size() != 0) {
            throw new IllegalArgumentException("a buffer of " + b.remaining() + " bytes does not hold whole "
                    + type + " elements (" + type.size() + " bytes each)");
        }
        ByteBuffer region = b.slice().order(ByteOrder.LITTLE_ENDIAN); // position, limit and order our own
        return new DataBuffer(type, b.remaining() / type.size(), null, region);
    }

    public DataType type() {
        return type;
    }

    /** Number of elements. */
    public int count() {
        return count;
    }

    public int byteSize() {
        return Math.multiplyExact(count, type.size()); // checked in the constructor; exact all the same
    }

    /** A little-endian view from 0 to byteSize holding the contents (copied into scratch for typed arrays). */
    ByteBuffer readView(Scratch scratch, int slot) {
        if (inPlaceView != null) {
            return inPlaceView.clear();
        }
        ByteBuffer b = scratch.get(slot, byteSize());
        switch (type) {
            case INT -> scratch.ints(slot).put(0, (int[]) array, 0, count);
            case LONG -> scratch.longs(slot).put(0, (long[]) array, 0, count);
            case FLOAT -> scratch.floats(slot).put(0, (float[]) array, 0, count);
            case DOUBLE -> scratch.doubles(slot).put(0, (double[]) array, 0, count);
            default -> throw new IllegalStateException("unstaged type " + type);
        }
        return b;
    }

    /** A little-endian view to write results into; pass it to {@link #commit} afterwards. */
    ByteBuffer writeView(Scratch scratch, int slot) {
        if (inPlaceView != null) {
            return inPlaceView.clear();
        }
        return scratch.get(slot, byteSize());
    }

    /**
     * Copies a staged result back into the array from the scratch slot its view came from; a no-op for in-place
     * buffers.
     */
    void commit(Scratch scratch, int slot) {
        if (inPlaceView != null) {
            return;
        }
        switch (type) {
            case INT -> scratch.ints(slot).get(0, (int[]) array, 0, count);
            case LONG -> scratch.longs(slot).get(0, (long[]) array, 0, count);
            case FLOAT -> scratch.floats(slot).get(0, (float[]) array, 0, count);
            case DOUBLE -> scratch.doubles(slot).get(0, (double[]) array, 0, count);
            default -> throw new IllegalStateException("unstaged type " + type);
        }
    }

    @Override
    public String toString() {
        return count + " x " + type;
    }
}
