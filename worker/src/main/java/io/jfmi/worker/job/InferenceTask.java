package io.jfmi.worker.job;

import io.jfmi.core.Communicator;
import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.inference.RedshiftModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One rank of the inference job: take the model and this rank's share ({@link InferenceInputs}), barrier, run the
 * batches, combine with collectives; rank 0 writes the result files. A rank that cannot load its inputs aborts the
 * job, so every other rank fails at once with that rank's reason instead of waiting.
 */
public final class InferenceTask {

    /**
     * @param data         .npz/.npy/.pt file or shard folder (the CLI's input; {@link #execute} takes loaded data)
     * @param model        model path, or null for the shipped small ViT_Astro
     * @param engine       engine choice
     * @param batchSize    samples per batch
     * @param out          folder for the result files (rank 0 writes)
     * @param threads      intra-op threads per rank (0 = engine default)
     * @param memorySizeMb reported as Lambda's "Memory Size"
     */
    public record Settings(Path data, Path model, EngineChoice engine, int batchSize, Path out, int threads,
            long memorySizeMb) {
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
            }
        }
    }

    private InferenceTask() {
    }

    /**
     * Runs this rank on inputs that {@link InferenceInputs#startLoading} began loading. Returns the process exit
     * code: 0 when the job succeeded, 2 when this rank's inputs were bad (the job is aborted with the reason).
     */
    public static int run(Communicator comm, Settings s, InferenceInputs inputs, PrintStream out) throws IOException {
        InferenceInputs.Loaded in;
        try {
            in = inputs.take();
        } catch (IOException | RuntimeException e) {
            String reason = "rank " + comm.rank() + " cannot start: " + e.getMessage();
            out.println(reason);
            comm.abort(reason);
            return 2;
        }
        try (RedshiftModel m = in.model()) {
            execute(comm, m, in.share(), s.data().toString(), s, out);
            return 0;
        }
    }

    /**
     * What one rank's run produced.
     *
     * @param mine     this rank's figures
     * @param combined the job's metrics on every rank; predictions and per-rank figures on rank 0 only
     * @param written  result files rank 0 wrote under {@code Settings.out} (empty on other ranks)
     * @param wallSeconds from the start barrier to the end of combining
     */
    public record Outcome(RankStats mine, JobCombiner.Combined combined, List<Path> written, double wallSeconds) {
    }

    /**
     * The job on inputs already loaded: barrier, batches, combining; rank 0 writes the result files. The model is
     * the caller's (not closed here), so a Lambda container can keep it for its next invocation.
     *
     * @param dataDescription what the data was, for execution_info.json
     */
    public static Outcome execute(Communicator comm, RedshiftModel m, GalaxyDataset.Loaded share,
            String dataDescription, Settings s, PrintStream out) throws IOException {
        int rank = comm.rank();
        // One pass of the combining collectives on no data loads and links their code now, as part of start-up,
        // so the job's figure measures the combining itself (cold, it took ~100 ms in a 4-rank job).
        JobCombiner.combine(comm, RankRun.empty(), RankStats.of(rank, RankRun.empty(), s.batchSize(), 0, 0));
        long initMs = ProcessProbe.uptimeMillis();
        out.printf("rank %d: %s on %s, %d samples from index %d of %d, batch %d%n", rank, m.engine(),
                m.description(), share.data().count(), share.firstIndex(), share.totalSamples(), s.batchSize());
        long barrierStart = System.nanoTime();
        comm.barrier();
        double barrierSeconds = (System.nanoTime() - barrierStart) / 1e9;
        long jobStart = System.nanoTime();
        RankRun run = RankRun.run(m, share, s.batchSize(), out);
        RankStats mine = RankStats.of(rank, run, s.batchSize(), ProcessProbe.peakRssBytes(), initMs);
        long waitStart = System.nanoTime();
        comm.barrier(); // waiting here is load imbalance, kept apart from the time the combining takes
        double stragglerSeconds = (System.nanoTime() - waitStart) / 1e9;
        JobCombiner.Combined c = JobCombiner.combine(comm, run, mine);
        double wall = (System.nanoTime() - jobStart) / 1e9;
        List<Path> written = List.of();
        if (rank == JobCombiner.ROOT) {
            written = writeResults(comm, s, m, c, dataDescription, wall, stragglerSeconds);
            printSummary(out, c, wall, stragglerSeconds);
        }
        double durationMs = (System.nanoTime() - barrierStart) / 1e6 - barrierSeconds * 1e3;
        out.println(LambdaReport.line(comm.jobId() + "-rank-" + rank, durationMs, s.memorySizeMb(),
                ProcessProbe.peakRssBytes() / (1024 * 1024), initMs));
        return new Outcome(mine, c, written, wall);
    }

    private static List<Path> writeResults(Communicator comm, Settings s, RedshiftModel m, JobCombiner.Combined c,
            String dataDescription, double wall, double stragglerSeconds) throws IOException {
        Files.createDirectories(s.out());
        ResultFiles.writePredictions(s.out().resolve(ResultFiles.PREDICTIONS), c);
        ResultFiles.writeMetrics(s.out().resolve(ResultFiles.METRICS), c.metrics());
        ResultFiles.writeExecutionInfo(s.out().resolve(ResultFiles.EXECUTION_INFO), c.ranks(),
                new ResultFiles.JobFacts(comm.jobId(), comm.size(), m.engine(), m.description(), dataDescription,
                        wall, c.collectiveSeconds(), stragglerSeconds));
        Plots.redshiftScatter(s.out().resolve(ResultFiles.REDSHIFT_PLOT), c.zTrue(), c.zPred());
        Plots.throughputPerRank(s.out().resolve(ResultFiles.THROUGHPUT_PLOT), c.ranks());
        return List.of(s.out().resolve(ResultFiles.PREDICTIONS), s.out().resolve(ResultFiles.METRICS),
                s.out().resolve(ResultFiles.EXECUTION_INFO), s.out().resolve(ResultFiles.REDSHIFT_PLOT),
                s.out().resolve(ResultFiles.THROUGHPUT_PLOT));
    }

    private static void printSummary(PrintStream out, JobCombiner.Combined c, double wall, double stragglerSeconds) {
        Metrics m = c.metrics();
        double samplesPerSecond = 0;
        for (RankStats r : c.ranks()) {
            samplesPerSecond += r.samplesPerSecond();
        }
        out.printf(Locale.ROOT, "combined: %d samples on %d ranks in %.2f s (%.0f samples/s summed over ranks); "
                + "combining collectives %.1f ms = %.2f%% of the job; rank 0 waited %.0f ms for the slowest rank%n",
                m.samples(), c.ranks().length, wall, samplesPerSecond, c.collectiveSeconds() * 1e3,
                100 * c.collectiveSeconds() / wall, stragglerSeconds * 1e3);
        out.printf(Locale.ROOT, "combined metrics: MAE %.4f  MSE %.5f  RMSE %.4f  bias %.4f  NMAD %.4f  R^2 %.4f  "
                + "outliers %.2f%%%n", m.mae(), m.mse(), m.rmse(), m.bias(), m.nmad(), m.r2(),
                100 * m.outlierFraction());
    }
}
