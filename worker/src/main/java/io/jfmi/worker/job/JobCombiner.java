package io.jfmi.worker.job;

import io.jfmi.core.ReduceOp;
import io.jfmi.core.Communicator;
import io.jfmi.core.DataBuffer;

/**
 * Combines every rank's predictions, metrics and timings with collectives: allgather of counts, allreduce of the
 * additive metric sums, allgatherv of the normalised residuals (for the global median and NMAD, so every rank
 * knows the job's metrics), and gathers of predictions and per-rank figures to rank 0, which writes the files.
 */
public final class JobCombiner {
    public static final int ROOT = 0;

    /** What rank 0 holds after combining (other ranks get the metrics and a null for the rest). */
    public record Combined(Metrics metrics, long[] indices, int[] rankOf, float[] zTrue, float[] zPred,
            RankStats[] ranks, double collectiveSeconds) {
    }

    private JobCombiner() {
    }

    public static Combined combine(Communicator comm, RankRun run, RankStats mine) {
        long t0 = System.nanoTime();
        int size = comm.size();
        int[] counts = new int[size];
        comm.allgather(DataBuffer.of(new int[] {run.samples()}), DataBuffer.of(counts));
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        if (total > Integer.MAX_VALUE / 2) {
            throw new IllegalStateException("job has " + total + " predictions; more than one gather can hold");
        }
        double[] sums = Metrics.Sums.of(run.zTrue(), run.zPred());
        comm.allreduce(DataBuffer.of(sums), ReduceOp.SUM);
        double[] allDz = new double[(int) total];
        comm.allgatherv(DataBuffer.of(Metrics.normalisedResiduals(run.zTrue(), run.zPred())), DataBuffer.of(allDz),
                counts);
        Metrics metrics = Metrics.fromSums(sums, allDz);

        boolean root = comm.rank() == ROOT;
        long[] firsts = root ? new long[size] : null;
        comm.gather(DataBuffer.of(new long[] {run.firstIndex()}), root ? DataBuffer.of(firsts) : null, ROOT);
        float[] zTrue = root ? new float[(int) total] : null;
        float[] zPred = root ? new float[(int) total] : null;
        comm.gatherv(DataBuffer.of(run.zTrue()), root ? DataBuffer.of(zTrue) : null, counts, ROOT);
        comm.gatherv(DataBuffer.of(run.zPred()), root ? DataBuffer.of(zPred) : null, counts, ROOT);
        double[] stats = root ? new double[size * RankStats.LENGTH] : null;
        comm.gather(DataBuffer.of(mine.toArray()), root ? DataBuffer.of(stats) : null, ROOT);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!root) {
            return new Combined(metrics, null, null, null, null, null, seconds);
        }
        long[] indices = new long[(int) total];
        int[] rankOf = new int[(int) total];
        RankStats[] ranks = new RankStats[size];
        for (int r = 0, at = 0; r < size; r++) {
            for (int i = 0; i < counts[r]; i++, at++) {
                indices[at] = firsts[r] + i;
                rankOf[at] = r;
            }
            ranks[r] = RankStats.fromArray(stats, r * RankStats.LENGTH);
        }
        return new Combined(metrics, indices, rankOf, zTrue, zPred, ranks, seconds);
    }
}
