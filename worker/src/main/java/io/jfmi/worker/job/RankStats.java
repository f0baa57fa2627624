package io.jfmi.worker.job;

/**
 * The per-rank figures rank 0 gathers to write execution_info.json, packed as a fixed-length double array so one
 * gather moves them all.
 */
public record RankStats(int rank, long samples, long batches, int batchSize, double inferenceSeconds,
        double cpuSeconds, double peakRssMb, double selfMemoryMb, double rssFirstBatchMb, double rssLastBatchMb,
        double prepareMsPerBatch, double forwardMsPerBatch, double fetchMsPerBatch, double batchP50Ms,
        double batchP99Ms, double bytesProcessed, double initMs, double firstBatchMs) {
    public static final int LENGTH = 18;
    private static final double MB = 1024.0 * 1024.0;

    public static RankStats of(int rank, RankRun run, int batchSize, long peakRssBytes, long initMs) {
        long b = Math.max(1, run.batches());
        double bytes = (double) run.samples() * (io.jfmi.worker.data.GalaxyDataset.PIXELS + 5) * Float.BYTES;
        return new RankStats(rank, run.samples(), run.batches(), batchSize, run.wallNanos() / 1e9,
                run.cpuNanos() / 1e9, peakRssBytes / MB, Math.max(0, peakRssBytes - run.rssBeforeBytes()) / MB,
                run.rssAfterFirstBatchBytes() / MB, run.rssAfterLastBatchBytes() / MB,
                run.stages().prepareNanos / 1e6 / b, run.stages().forwardNanos / 1e6 / b,
                run.stages().fetchNanos / 1e6 / b, run.batchQuantile(0.5) * 1e3, run.batchQuantile(0.99) * 1e3, bytes,
                initMs, run.firstBatchUptimeMillis());
    }

    public double[] toArray() {
        return new double[] {rank, samples, batches, batchSize, inferenceSeconds, cpuSeconds, peakRssMb,
            selfMemoryMb, rssFirstBatchMb, rssLastBatchMb, prepareMsPerBatch, forwardMsPerBatch, fetchMsPerBatch,
            batchP50Ms, batchP99Ms, bytesProcessed, initMs, firstBatchMs};
    }

    public static RankStats fromArray(double[] a, int offset) {
        double[] v = java.util.Arrays.copyOfRange(a, offset, offset + LENGTH);
        return new RankStats((int) v[0], (long) v[1], (long) v[2], (int) v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17]);
    }

    public double samplesPerSecond() {
        return inferenceSeconds > 0 ? samples / inferenceSeconds : 0;
    }
}
