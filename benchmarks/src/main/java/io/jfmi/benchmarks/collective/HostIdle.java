package io.jfmi.benchmarks.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How much of the host's CPU time goes idle, from the first line of {@code /proc/stat} (all CPUs, in clock ticks).
 * With more ranks than cores a rank that parks leaves its core idle unless another rank takes it; idle time during
 * timed calls is what Open MPI's never-sleeping ranks do not have (benchmarks/RESULTS.md), so a change to how jfmi
 * waits is judged by its idle share as well as its latency.
 *
 * <p>The file stays open and is read into a direct buffer and parsed by hand, like {@link ProcessCpu}, so that a
 * reading between blocks does not bring new JDK code to the JIT. Ticks are 10 ms, so one short block reads
 * coarsely; a sum over many blocks does not.
 */
final class HostIdle {
    private static final Path STAT = Path.of("/proc/stat");
    private static final int FIELDS = 8; // user nice system idle iowait irq softirq steal (guest is inside user)
    private static final ByteBuffer LINE = ByteBuffer.allocateDirect(512);
    private static final long[] VALUES = new long[FIELDS];
    private static FileChannel stat;
    private static boolean opened;

    private HostIdle() {
    }

    /**
     * Reads the host's ticks so far into {@code into}: [0] idle (idle and iowait), [1] all eight states. Returns
     * false, leaving {@code into} alone, where {@code /proc/stat} cannot be read.
     */
    static boolean read(long[] into) {
        if (!opened) {
            opened = true;
            try {
                stat = FileChannel.open(STAT, StandardOpenOption.READ);
            } catch (IOException | UnsupportedOperationException e) {
                stat = null;
            }
        }
        if (stat == null) {
            return false;
        }
        LINE.clear();
        try {
            if (stat.read(LINE, 0) <= 0) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        if (!parseCpuLine(LINE, VALUES)) {
            return false;
        }
        long all = 0;
        for (long v : VALUES) {
            all += v;
        }
        into[0] = VALUES[3] + VALUES[4];
        into[1] = all;
        return true;
    }

    /**
     * Parses "cpu  u n s i w q sq st ..." from {@code line}'s first {@code position()} bytes into {@code values};
     * false when the line is not that or has fewer than eight numbers (a kernel older than 2.6.11).
     */
    static boolean parseCpuLine(ByteBuffer line, long[] values) {
        int end = line.position();
        if (end < 4 || line.get(0) != 'c' || line.get(1) != 'p' || line.get(2) != 'u' || line.get(3) != ' ') {
            return false;
        }
        int field = 0;
        int i = 4;
        while (field < values.length && i < end) {
            byte b = line.get(i);
            if (b == '\n') {
                break;
            }
            if (b < '0' || b > '9') {
                i++;
                continue;
            }
            long v = 0;
            while (i < end && (b = line.get(i)) >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                i++;
            }
            values[field++] = v;
        }
        return field == values.length;
    }

    /**
     * Idle and total ticks summed over the spans between {@link #start} and {@link #stop}; unknown once a reading
     * failed. Both readings sit outside the calls they bracket.
     */
    static final class Window {
        private final long[] before = new long[2];
        private final long[] after = new long[2];
        private long idleTicks;
        private long allTicks;
        private boolean open;
        private boolean failed;

        void start() {
            open = !failed && read(before);
            failed |= !open;
        }

        void stop() {
            if (open && read(after)) {
                idleTicks += after[0] - before[0];
                allTicks += after[1] - before[1];
            } else {
                failed = true;
            }
            open = false;
        }

        /** The idle share over every span so far, percent; null when a reading failed or no tick passed. */
        Double percent() {
            return failed ? null : HostIdle.percent(idleTicks, allTicks);
        }
    }

    /** Idle share in percent between two readings ({@link #read}); null when no tick passed or none was read. */
    static Double percent(long idleTicks, long allTicks) {
        return allTicks > 0 ? 100.0 * idleTicks / allTicks : null;
    }
}
