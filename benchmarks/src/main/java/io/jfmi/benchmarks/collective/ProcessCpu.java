package io.jfmi.benchmarks.collective;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this whole process (every thread: the rank's, the JIT's and the collector's; user and system), and of
 * its JIT compiler threads alone, in nanoseconds. Linux keeps it per thread in
 * {@code /proc/self/task/<tid>/schedstat} to the nanosecond; the JVM's own figure ({@code getProcessCpuTime}) counts
 * clock ticks of 10 ms, too coarse for a few hundred short calls.
 *
 * <p>Listing the threads and opening their files is done by {@link #refreshThreads}, between timed calls; a reading
 * re-reads files kept open, a few small JDK methods that the warm-ups, which read once per block, get compiled early.
 * Reading through paths instead took some hundred JDK methods, which the JIT compiled one by one as their counts
 * grew, for as long as a run lasted (measured: compiler threads busy 2-12% of the time after 10 s, mostly on that
 * code), and one compiled only around the timed calls fell into the next op's (a 2-rank 8 B alltoall, mean 30-32
 * µs and p99 154 µs against 8.6-8.9 and 23-25 µs without a reading). Threads started after the last refresh are
 * not counted; the ranks' threads live as long as the job.
 *
 * <p>The kernel brings a thread's schedstat up to date only at a scheduler tick or switch, so a thread that runs
 * without pause reads up to a tick behind: a block of 40 barriers (0.4 ms) once read as no CPU at all. The thread
 * that lists (the rank's, the one doing the calls) is therefore read through the JVM instead
 * ({@code getCurrentThreadCpuTime}, exact to the call); the others mostly sleep or run briefly.
 */
final class ProcessCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final ByteBuffer LINE = ByteBuffer.allocateDirect(256);
    private static final List<FileChannel> ALL = new ArrayList<>();
    private static final List<FileChannel> COMPILERS = new ArrayList<>();
    private static final Map<String, FileChannel> BY_TID = new HashMap<>();
    private static final ThreadMXBean JVM_THREADS = ManagementFactory.getThreadMXBean();
    private static boolean listed;
    /** The thread that listed, read through the JVM; null when its kernel id is unknown (then read like the rest). */
    private static Thread lister;

    private ProcessCpu() {
    }

    /** Lists this process's threads again and opens the files of new ones. Not for timed code: it allocates. */
    static void refreshThreads() {
        listed = true;
        Map<String, FileChannel> seen = new HashMap<>();
        ALL.clear();
        COMPILERS.clear();
        lister = null;
        if (!Files.isDirectory(TASKS)) {
            return;
        }
        String selfTid = callingThreadId();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String tid = task.getFileName().toString();
                if (tid.equals(selfTid)) {
                    lister = Thread.currentThread();
                    continue;
                }
                FileChannel file = BY_TID.remove(tid);
                String name;
                try {
                    name = Files.readString(task.resolve("comm"));
                    if (file == null) {
                        file = FileChannel.open(task.resolve("schedstat"), StandardOpenOption.READ);
                    }
                } catch (NoSuchFileException e) {
                    if (file != null) {
                        closeQuietly(file);
                    }
                    continue; // the thread ended between the listing and the open
                }
                seen.put(tid, file);
                ALL.add(file);
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    COMPILERS.add(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            ALL.clear(); // a kernel without these files: the fallbacks below
            COMPILERS.clear();
        }
        for (FileChannel gone : BY_TID.values()) {
            closeQuietly(gone);
        }
        BY_TID.clear();
        BY_TID.putAll(seen);
    }

    /** Nanoseconds of CPU of the whole process so far, or -1 if nothing can tell. */
    static long nanos() {
        if (!listed) {
            refreshThreads();
        }
        if (!ALL.isEmpty()) {
            return sum(ALL) + listerNanos();
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Nanoseconds of CPU of the JIT compiler threads so far; without {@code /proc}, the JVM's total compilation time
     * (which grows only as compilations end); -1 if nothing can tell.
     */
    static long compilerNanos() {
        if (!listed) {
            refreshThreads();
        }
        if (!COMPILERS.isEmpty()) {
            return sum(COMPILERS);
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
            return jit.getTotalCompilationTime() * 1_000_000;
        }
        return -1;
    }

    /** CPU of the thread that listed, exact; 0 if it was read with the rest. */
    private static long listerNanos() {
        if (lister == null) {
            return 0;
        }
        if (Thread.currentThread() == lister) {
            return JVM_THREADS.getCurrentThreadCpuTime();
        }
        return Math.max(0, JVM_THREADS.getThreadCpuTime(lister.getId()));
    }

    /** The kernel's id of the calling thread, from the {@code /proc/thread-self} link; null if unknown. */
    private static String callingThreadId() {
        try {
            if (!JVM_THREADS.isCurrentThreadCpuTimeSupported()) {
                return null;
            }
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long sum(List<FileChannel> files) {
        long sum = 0;
        for (int i = 0; i < files.size(); i++) {
            sum += onCpu(files.get(i));
        }
        return sum;
    }

    /** The first field of a schedstat line: time spent on a CPU, ns; 0 for a thread that ended. */
    private static long onCpu(FileChannel schedstat) {
        LINE.clear();
        try {
            if (schedstat.read(LINE, 0) <= 0) {
                return 0;
            }
        } catch (IOException e) {
            return 0; // the thread ended: its file reads as an error until the next refresh drops it
        }
        LINE.flip();
        return Math.max(0, Schedstat.field(LINE, Schedstat.ON_CPU));
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            // nothing to keep: the thread is gone
        }
    }
}
