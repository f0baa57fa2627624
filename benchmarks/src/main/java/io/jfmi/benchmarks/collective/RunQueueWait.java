package io.jfmi.benchmarks.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How long the calling thread has been runnable but waiting for a CPU, in ns: the second field of Linux's
 * {@code /proc/thread-self/schedstat}. With more ranks than cores a slow call is either the rank's own work or a turn
 * it waited for a core, and this tells the two apart (the 8-rank reduce's root: benchmarks/RESULTS.md, 2026-12-05).
 *
 * <p>{@code thread-self} names the thread that opens the file, so it is opened by the thread it reads and then
 * re-read in place (no path lookups or allocation in a reading). The kernel adds a wait when the thread gets a CPU
 * back, so the thread itself, running, always reads the whole of it.
 */
final class RunQueueWait {
    private static final Path FILE = Path.of("/proc/thread-self/schedstat");

    private final Thread owner;
    private final FileChannel file;
    private final ByteBuffer line = ByteBuffer.allocateDirect(128);

    private RunQueueWait(Thread owner, FileChannel file) {
        this.owner = owner;
        this.file = file;
    }

    /** For the calling thread; its readings are -1 where the kernel keeps no such file. */
    static RunQueueWait forCallingThread() {
        FileChannel file;
        try {
            file = FileChannel.open(FILE, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            file = null;
        }
        return new RunQueueWait(Thread.currentThread(), file);
    }

    /** The calling thread's run-queue wait so far, ns; -1 when unknown (no file, or not the thread that opened it). */
    long nanos() {
        if (file == null || Thread.currentThread() != owner) {
            return -1;
        }
        line.clear();
        try {
            file.read(line, 0);
        } catch (IOException e) {
            return -1;
        }
        line.flip();
        return Schedstat.field(line, Schedstat.RUN_QUEUE_WAIT);
    }
}
