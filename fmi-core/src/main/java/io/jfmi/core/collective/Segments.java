package io.jfmi.core.collective;

/**
 * Splits a byte range into pieces of at most {@code segment} bytes, aligned to the element size, so a large
 * step of a collective needs only one segment of scratch memory and reduces while later pieces are in flight.
 */
final class Segments {
    private Segments() {
    }

    /** Largest segment at most {@code preferred} bytes that holds whole elements (at least one element). */
    static int size(int preferred, int elementSize) {
        return Math.max(elementSize, preferred - preferred % elementSize);
    }

    /** Number of segments of {@code segment} bytes covering {@code bytes} (at least 1, even for 0 bytes). */
    static int count(int bytes, int segment) {
        return (int) Math.max(1, ((long) bytes + segment - 1) / segment);
    }
}
