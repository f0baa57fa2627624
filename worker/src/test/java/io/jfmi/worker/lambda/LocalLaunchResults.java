package io.jfmi.worker.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jfmi.worker.DebianPython;
import io.jfmi.worker.WorkerMain;
import io.jfmi.worker.job.ResultFiles;
import io.jfmi.worker.storage.Storage;
import io.jfmi.worker.storage.StoredObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The results of a local {@code launch}, and the check that a job's results in a bucket equal them. */
public final class LocalLaunchResults {
    final Map<Integer, float[]> predictions;
    final JsonObject metrics;

    private LocalLaunchResults(Map<Integer, float[]> predictions, JsonObject metrics) {
        this.predictions = predictions;
        this.metrics = metrics;
    }

    /** Runs {@code worker launch} in a child JVM on {@code data} and reads what it wrote to {@code out}. */
    public static LocalLaunchResults launch(Path data, int worldSize, Path out) throws Exception {
        DebianPython.Result r = DebianPython.run(javaCommand("launch", "--world-size", Integer.toString(worldSize),
                "--data", data.toString(), "--batch-size", "64", "--out", out.toString()), 300);
        assertEquals(0, r.exitCode(), r.output());
        return new LocalLaunchResults(predictions(Files.readAllLines(out.resolve(ResultFiles.PREDICTIONS))),
                JsonParser.parseString(Files.readString(out.resolve(ResultFiles.METRICS))).getAsJsonObject());
    }

    /**
     * The job under {@code prefix} in {@code bucket} is complete (every file, each rank's record, _SUCCESS) and its
     * predictions and metrics equal these.
     */
    public void assertBucketHasTheSame(Storage bucket, String prefix, int worldSize, Path scratch) throws Exception {
        List<String> keys = bucket.list(prefix + "/").stream().map(StoredObject::key).toList();
        List<String> expected = new ArrayList<>(List.of(ResultFiles.PREDICTIONS, ResultFiles.METRICS,
                ResultFiles.EXECUTION_INFO, ResultFiles.REDSHIFT_PLOT, ResultFiles.THROUGHPUT_PLOT, LambdaJob.SUCCESS));
        for (int r = 0; r < worldSize; r++) {
            expected.add("rank-" + r + "/" + ResultFiles.EXECUTION_INFO);
        }
        for (String name : expected) {
            assertTrue(keys.contains(prefix + "/" + name), prefix + "/" + name + " in " + keys);
        }
        Path got = Files.createTempDirectory(scratch, "bucket-results");
        bucket.download(prefix + "/" + ResultFiles.PREDICTIONS, got.resolve(ResultFiles.PREDICTIONS));
        bucket.download(prefix + "/" + ResultFiles.METRICS, got.resolve(ResultFiles.METRICS));
        Map<Integer, float[]> fromBucket = predictions(Files.readAllLines(got.resolve(ResultFiles.PREDICTIONS)));
        assertEquals(predictions.keySet(), fromBucket.keySet(), "every sample index once, as in the local launch");
        for (Map.Entry<Integer, float[]> e : predictions.entrySet()) {
            float[] a = e.getValue();
            float[] b = fromBucket.get(e.getKey());
            assertEquals(a[0], b[0], "z_true of sample " + e.getKey());
            assertEquals(a[1], b[1], 1e-5, "z_pred of sample " + e.getKey() + " equals the local launch's");
        }
        JsonObject mine = JsonParser.parseString(Files.readString(got.resolve(ResultFiles.METRICS))).getAsJsonObject();
        assertEquals(metrics.keySet(), mine.keySet());
        for (String k : metrics.keySet()) {
            assertEquals(metrics.get(k).getAsDouble(), mine.get(k).getAsDouble(), 1e-6, "metric " + k);
        }
    }

    /** index -> [z_true, z_pred] from a predictions.csv. */
    static Map<Integer, float[]> predictions(List<String> lines) {
        assertEquals(ResultFiles.CSV_HEADER, lines.get(0));
        Map<Integer, float[]> m = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            float[] prev = m.put(Integer.parseInt(f[0]), new float[] {Float.parseFloat(f[1]), Float.parseFloat(f[2])});
            assertEquals(null, prev, "index " + f[0] + " twice");
        }
        return m;
    }

    /** {@code java -cp <test classpath> WorkerMain args...}. */
    public static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
