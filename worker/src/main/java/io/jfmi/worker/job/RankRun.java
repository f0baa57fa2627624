package io.jfmi.worker.job;

import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.inference.RedshiftModel;
import io.jfmi.worker.inference.StageTimes;
import java.io.PrintStream;
import java.util.Arrays;

/** One rank's pass over its share: batches through the model, with the timings and memory the study records. */
public record RankRun(long firstIndex, float[] zTrue, float[] zPred, double[] batchSeconds, StageTimes stages,
        long cpuNanos, long wallNanos, long rssBeforeBytes, long rssAfterFirstBatchBytes, long rssAfterLastBatchBytes,
        long firstBatchUptimeMillis) {

    /**
     * Runs every sample of {@code share} through {@code model}, {@code batchSize} at a time (the last may be short).
     */
    public static RankRun run(RedshiftModel model, GalaxyDataset.Loaded share, int batchSize, PrintStream progress) {
        GalaxyDataset data = share.data();
        int n = data.count();
        int batches = (n + batchSize - 1) / batchSize;
        float[] images = new float[batchSize * GalaxyDataset.PIXELS];
        float[] mags = new float[batchSize * GalaxyDataset.BANDS];
        float[] predictions = new float[n];
        double[] seconds = new double[batches];
        StageTimes stages = new StageTimes();
        long rssBefore = ProcessProbe.rssBytes();
        long rssFirst = rssBefore;
        long firstBatchAt = 0;
        int reportEvery = Math.max(1, batches / 4);
        long cpu0 = ProcessProbe.cpuNanos();
        long t0 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            int count = Math.min(batchSize, n - from);
            long start = System.nanoTime();
            System.arraycopy(data.images(), from * GalaxyDataset.PIXELS, images, 0, count * GalaxyDataset.PIXELS);
            for (int i = 0; i < count * GalaxyDataset.BANDS; i++) {
                mags[i] = (float) data.magnitudes()[from * GalaxyDataset.BANDS + i];
            }
            float[] z = model.predict(images, mags, count, stages);
            System.arraycopy(z, 0, predictions, from, count);
            seconds[b] = (System.nanoTime() - start) / 1e9;
            if (b == 0) {
                rssFirst = ProcessProbe.rssBytes();
                firstBatchAt = ProcessProbe.uptimeMillis();
            }
            if ((b + 1) % reportEvery == 0 || b + 1 == batches) {
                progress.printf("batch %d/%d done (%.0f samples/s so far)%n", b + 1, batches,
                        (from + count) / ((System.nanoTime() - t0) / 1e9));
            }
        }
        long wall = System.nanoTime() - t0;
        long cpu = ProcessProbe.cpuNanos() - cpu0;
        return new RankRun(share.firstIndex(), data.redshifts(), predictions, seconds, stages, cpu, wall, rssBefore,
                rssFirst, ProcessProbe.rssBytes(), firstBatchAt);
    }

    /** A pass over no samples. */
    public static RankRun empty() {
        return new RankRun(0, new float[0], new float[0], new double[0], new StageTimes(), 0, 0, 0, 0, 0, 0);
    }

    public int samples() {
        return zTrue.length;
    }

    public int batches() {
        return batchSeconds.length;
    }

    /** The q-quantile (0..1) of the batch latencies in seconds; NaN without batches. */
    public double batchQuantile(double q) {
        if (batchSeconds.length == 0) {
            return Double.NaN;
        }
        double[] s = batchSeconds.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
    }
}
