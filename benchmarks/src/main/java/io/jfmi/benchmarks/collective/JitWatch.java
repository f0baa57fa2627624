package io.jfmi.benchmarks.collective;

/**
 * How much the JIT worked since the last look: the CPU time of HotSpot's compiler threads ({@link
 * ProcessCpu#compilerNanos}). The JVM's own figure, {@code CompilationMXBean.getTotalCompilationTime}, grows only when
 * a compilation ends, so a long C2 compilation under way reads as a quiet JIT; it is the fallback without /proc.
 */
final class JitWatch {
    private long last = ProcessCpu.compilerNanos();

    /** Compiler CPU time since the previous call, ns (never negative: a thread that ended drops out); -1 if unknown. */
    long busyNanosSinceLastLook() {
        long now = ProcessCpu.compilerNanos();
        if (now < 0) {
            return -1;
        }
        long busy = Math.max(0, now - last);
        last = now;
        return busy;
    }
}
