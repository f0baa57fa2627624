package io.jfmi.worker.job;

import io.jfmi.worker.json.JsonCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's output files, each written atomically: {@code predictions.csv}, {@code metrics.json} and
 * {@code execution_info.json} (the CosmicAI study's keys, per rank and combined; README explains each).
 */
public final class ResultFiles {
    public static final String PREDICTIONS = "predictions.csv";
    public static final String METRICS = "metrics.json";
    public static final String EXECUTION_INFO = "execution_info.json";
    public static final String REDSHIFT_PLOT = "redshift.png";
    public static final String THROUGHPUT_PLOT = "throughput.png";
    public static final String CSV_HEADER = "index,z_true,z_pred,rank";

    /** Job-level facts that go with the combined record. */
    public record JobFacts(String jobId, int worldSize, String engine, String model, String data, double wallSeconds,
            double collectiveSeconds, double stragglerWaitSeconds) {
    }

    private ResultFiles() {
    }

    /** Predictions in index order; floats print in their shortest exact form, so the CSV round-trips them. */
    public static void writePredictions(Path file, JobCombiner.Combined c) throws IOException {
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            w.write(CSV_HEADER);
            w.newLine();
            for (int i = 0; i < c.indices().length; i++) {
                w.write(c.indices()[i] + "," + c.zTrue()[i] + "," + c.zPred()[i] + "," + c.rankOf()[i]);
                w.newLine();
            }
            w.flush();
        });
    }

    public static Map<String, Object> metricsJson(Metrics m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("samples", m.samples());
        j.put("MAE", m.mae());
        j.put("MSE", m.mse());
        j.put("RMSE", m.rmse());
        j.put("bias", m.bias());
        j.put("NMAD", m.nmad());
        j.put("R2", m.r2());
        j.put("outlier_fraction", m.outlierFraction());
        j.put("outlier_threshold_dz", Metrics.OUTLIER_DZ);
        return j;
    }

    public static void writeMetrics(Path file, Metrics m) throws IOException {
        AtomicFiles.writeString(file, JsonCodec.write(metricsJson(m)));
    }

    public static void writeExecutionInfo(Path file, RankStats[] ranks, JobFacts facts) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("job", facts.jobId());
        root.put("world_size", facts.worldSize());
        root.put("engine", facts.engine());
        root.put("model", facts.model());
        root.put("data", facts.data());
        root.put("combined", combined(ranks, facts));
        List<Object> perRank = new ArrayList<>();
        for (RankStats r : ranks) {
            perRank.add(rankRecord(r));
        }
        root.put("ranks", perRank);
        AtomicFiles.writeString(file, JsonCodec.write(root));
    }

    /** One rank's own record (the study's keys and jfmi's), with the job it belonged to. */
    public static void writeRankExecutionInfo(Path file, RankStats r, String jobId, int worldSize, String engine,
            String model) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("job", jobId);
        root.put("world_size", worldSize);
        root.put("engine", engine);
        root.put("model", model);
        root.putAll(rankRecord(r));
        AtomicFiles.writeString(file, JsonCodec.write(root));
    }

    static Map<String, Object> rankRecord(RankStats r) {
        Map<String, Object> j = studyRecord(r.cpuSeconds(), r.peakRssMb(),
                r.batches() > 0 ? r.inferenceSeconds() / r.batches() : 0, r.batches(), r.batchSize(),
                r.inferenceSeconds() > 0 ? r.bytesProcessed() / r.inferenceSeconds() : 0, r.samplesPerSecond(),
                profile(r.prepareMsPerBatch(), r.forwardMsPerBatch(), r.fetchMsPerBatch(), r.batchP50Ms(),
                        r.batchP99Ms()), r.selfMemoryMb());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rank", r.rank());
        out.put("samples", r.samples());
        out.putAll(j);
        out.put("inference_seconds", r.inferenceSeconds());
        out.put("init_duration_ms", r.initMs());
        out.put("launch_to_first_batch_ms", r.firstBatchMs());
        out.put("rss_after_first_batch (MB)", r.rssFirstBatchMb());
        out.put("rss_after_last_batch (MB)", r.rssLastBatchMb());
        return out;
    }

    static Map<String, Object> combined(RankStats[] ranks, JobFacts facts) {
        double cpu = 0, mem = 0, self = 0, bytes = 0, samples = 0, maxInference = 0, inferenceSum = 0;
        double prepare = 0, forward = 0, fetch = 0, firstBatch = Double.MAX_VALUE;
        long batches = 0;
        for (RankStats r : ranks) {
            cpu += r.cpuSeconds();
            mem += r.peakRssMb();
            self += r.selfMemoryMb();
            bytes += r.bytesProcessed();
            samples += r.samples();
            batches += r.batches();
            inferenceSum += r.inferenceSeconds();
            maxInference = Math.max(maxInference, r.inferenceSeconds());
            prepare += r.prepareMsPerBatch() * r.batches();
            forward += r.forwardMsPerBatch() * r.batches();
            fetch += r.fetchMsPerBatch() * r.batches();
            firstBatch = Math.min(firstBatch, r.firstBatchMs());
        }
        long b = Math.max(1, batches);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("samples", (long) samples);
        j.putAll(studyRecord(cpu, mem, inferenceSum / b, batches, ranks.length > 0 ? ranks[0].batchSize() : 0,
                maxInference > 0 ? bytes / maxInference : 0, maxInference > 0 ? samples / maxInference : 0,
                profile(prepare / b, forward / b, fetch / b, Double.NaN, Double.NaN), self));
        j.put("slowest_rank_inference_seconds", maxInference);
        j.put("job_wall_seconds", facts.wallSeconds());
        j.put("collective_seconds", facts.collectiveSeconds());
        j.put("collective_fraction", facts.wallSeconds() > 0 ? facts.collectiveSeconds() / facts.wallSeconds() : 0);
        j.put("rank0_wait_for_slowest_rank_seconds", facts.stragglerWaitSeconds());
        j.put("first_batch_done_ms_after_start", firstBatch == Double.MAX_VALUE ? null : firstBatch);
        return j;
    }

    private static Map<String, Object> studyRecord(double cpuSeconds, double memoryMb, double secondsPerBatch,
            long batches, int batchSize, double bytesPerSecond, double samplesPerSecond, Map<String, Object> profile,
            double selfMemoryMb) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("total_cpu_time (seconds)", cpuSeconds);
        j.put("total_cpu_memory (MB)", memoryMb);
        j.put("execution_time (seconds/batch)", secondsPerBatch);
        j.put("num_batches", batches);
        j.put("batch_size", batchSize);
        j.put("device", "cpu");
        j.put("throughput_bps", bytesPerSecond);
        j.put("sample_persec", samplesPerSecond);
        j.put("cpu_info", ProcessProbe.cpuInfo());
        j.put("ram_info (GB)", Math.round(ProcessProbe.ramGb() * 100) / 100.0);
        j.put("avg_profile", profile);
        j.put("self_cpu_memory (MB)", selfMemoryMb);
        return j;
    }

    private static Map<String, Object> profile(double prepareMs, double forwardMs, double fetchMs, double p50,
            double p99) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("prepare_ms_per_batch", prepareMs);
        j.put("forward_ms_per_batch", forwardMs);
        j.put("fetch_ms_per_batch", fetchMs);
        if (!Double.isNaN(p50)) {
            j.put("batch_p50_ms", p50);
            j.put("batch_p99_ms", p99);
        }
        return j;
    }
}
