package io.jfmi.benchmarks.sweep;

/**
 * One request of the sweep: one partition through the handler in a fresh JVM.
 *
 * @param durationMillis the invocation (Lambda's "Duration": after Init, to the response)
 * @param initMillis     JVM start to handler ready, plus teardown (the process's wall time less the duration)
 * @param maxMemoryMb    peak RSS of the process (Lambda's "Max Memory Used")
 * @param samples        galaxies in the partition
 */
record PartitionRun(double durationMillis, double initMillis, long maxMemoryMb, int samples) {
}
