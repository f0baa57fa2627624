package io.jfmi.core.channel;

import java.nio.ByteBuffer;

/**
 * The bytes a healing link wrote that its peer has not yet acknowledged, addressed by their offset in the link's
 * outbound stream. A ring that grows as needed; acknowledgements release its front. Its size is bounded by what
 * TCP holds in flight plus the receiver's acknowledgement interval.
 */
final class SendLog {
    private static final int INITIAL_BYTES = 64 * 1024;

    private byte[] ring = new byte[INITIAL_BYTES];
    /** Stream offset of the first retained byte. */
    private long start;
    /** Index in {@link #ring} of that byte. */
    private int head;
    private int length;

    long start() {
        return start;
    }

    /** Stream offset just past the last retained byte. */
    long end() {
        return start + length;
    }

    int retained() {
        return length;
    }

    /** Appends {@code len} bytes of {@code src} from absolute index {@code from}; positions are left alone. */
    void append(ByteBuffer src, int from, int len) {
        if (len == 0) {
            return;
        }
        ensureRoom(len);
        int tail = (head + length) % ring.length;
        int first = Math.min(len, ring.length - tail);
        src.get(from, ring, tail, first);
        if (first < len) {
            src.get(from + first, ring, 0, len - first);
        }
        length += len;
    }

    /** Forgets every byte before stream offset {@code upTo} (the peer has taken them). */
    void release(long upTo) {
        if (upTo <= start) {
            return;
        }
        if (upTo > end()) {
            throw new IllegalArgumentException("acknowledged offset " + upTo + " is past the " + end()
                    + " bytes sent");
        }
        int n = (int) (upTo - start);
        head = (head + n) % ring.length;
        length -= n;
        start = upTo;
    }

    /** Drops the bytes from stream offset {@code newEnd} on (a frame that will be sent again whole). */
    void truncate(long newEnd) {
        if (newEnd < start || newEnd > end()) {
            throw new IllegalArgumentException("cannot cut the log at " + newEnd + ": it holds " + start + ".."
                    + end());
        }
        length = (int) (newEnd - start);
    }

    /** A copy of the bytes between two stream offsets. */
    byte[] copy(long from, long to) {
        if (from < start || to > end() || from > to) {
            throw new IllegalArgumentException("bytes " + from + ".." + to + " are not all kept (the log holds "
                    + start + ".." + end() + ")");
        }
        byte[] out = new byte[(int) (to - from)];
        int at = (int) ((head + (from - start)) % ring.length);
        int first = Math.min(out.length, ring.length - at);
        System.arraycopy(ring, at, out, 0, first);
        System.arraycopy(ring, 0, out, first, out.length - first);
        return out;
    }

    private void ensureRoom(int more) {
        long needed = (long) length + more;
        if (needed <= ring.length) {
            return;
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("more than 2 GiB sent and not acknowledged on one link");
        }
        int capacity = ring.length;
        while (capacity < needed) {
            capacity = (int) Math.min(Integer.MAX_VALUE - 8, capacity * 2L);
        }
        byte[] grown = new byte[capacity];
        int first = Math.min(length, ring.length - head);
        System.arraycopy(ring, head, grown, 0, first);
        System.arraycopy(ring, 0, grown, first, length - first);
        ring = grown;
        head = 0;
    }
}
