package io.jfmi.benchmarks.collective;

import java.nio.ByteBuffer;

/**
 * Reads a field of a Linux {@code schedstat} line ("on-CPU ns, run-queue wait ns, timeslices"), in place: the line
 * is re-read from a kept-open file between timed calls, where a String would cost allocation and JIT work.
 */
final class Schedstat {
    /** Field 0: time on a CPU, ns. */
    static final int ON_CPU = 0;
    /** Field 1: time runnable but waiting for a CPU, ns. */
    static final int RUN_QUEUE_WAIT = 1;

    private Schedstat() {
    }

    /**
     * The {@code index}-th space-separated decimal number between {@code line}'s position and limit, or -1 when
     * there is none.
     */
    static long field(ByteBuffer line, int index) {
        int i = line.position();
        int end = line.limit();
        for (int skipped = 0; skipped < index; skipped++) {
            while (i < end && line.get(i) != ' ') {
                i++;
            }
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < end; i++) {
            byte b = line.get(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
        }
        return digits == 0 ? -1 : value;
    }
}
