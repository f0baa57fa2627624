package io.jfmi.core.util;

/**
 * Sizes of messages and scratch buffers, computed exactly: a size that does not fit the 2 GiB - 1 bytes a Java
 * buffer can hold is an error that says what was being sized, never a silently wrapped int.
 */
public final class ByteSizes {
    /** The largest message or buffer, in bytes. */
    public static final int MAX_BYTES = Integer.MAX_VALUE;

    private ByteSizes() {
    }

    /** {@code count * elementSize} as an int, or an IllegalArgumentException naming {@code what}. */
    public static int product(long count, long elementSize, String what) {
        long bytes;
        try {
            bytes = Math.multiplyExact(count, elementSize);
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (count < 0 || elementSize < 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException(what + ": " + count + " x " + elementSize + " bytes "
                    + (bytes == Long.MAX_VALUE ? "overflows" : "= " + bytes + " bytes, more than") + " the "
                    + MAX_BYTES + "-byte limit of one message or buffer; split the data into smaller calls");
        }
        return (int) bytes;
    }
}
