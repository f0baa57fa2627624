package io.jfmi.worker.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jfmi.worker.RendezvousProcess;
import io.jfmi.worker.S3ProxyProcess;
import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.data.Partitioner;
import io.jfmi.worker.storage.S3Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda handler end to end against a real S3-compatible server (S3Proxy) and the real rendezvous server: a
 * 2-rank job made of two handler invocations in separate JVMs, started at different moments, once with each of
 * the study's three payload shapes; the results in the bucket must equal a local {@code launch} on the same data.
 */
class LambdaHandlerIT {
    static final String BUCKET = "team-one-s3-cosmic";
    static final String FOLDER = "scripts/Anomaly Detection";
    static final int SAMPLES = 533;

    @TempDir
    static Path dir;
    static S3ProxyProcess s3;
    static RendezvousProcess rendezvous;
    static S3Storage bucket;
    static LocalLaunchResults local;

    @BeforeAll
    static void setUp() throws Exception {
        s3 = new S3ProxyProcess(dir);
        rendezvous = new RendezvousProcess(dir);
        s3.createBucket(BUCKET);
        bucket = S3Storage.open(s3.settings(), BUCKET);
        GalaxyDataset data = GalaxyGenerator.generate(SAMPLES, 23);
        Path npz = dir.resolve("galaxies.npz");
        data.save(npz);
        // The study's folder: its data under Inference/, and a README beside it that is copied along.
        bucket.upload(npz, FOLDER + "/Inference/resized_inference.npz");
        bucket.put(FOLDER + "/README.txt", "the study's folder\n".getBytes());
        // The study's partitions: shard files under one prefix (5 files for 2 ranks: 3 and 2).
        Path shards = dir.resolve("shards");
        Partitioner.byCount(data, 5, shards);
        try (Stream<Path> files = Files.list(shards)) {
            for (Path f : files.sorted().toList()) {
                bucket.upload(f, "100MB/" + f.getFileName());
            }
        }
        local = LocalLaunchResults.launch(npz, 2, dir.resolve("local"));
    }

    @AfterAll
    static void tearDown() {
        if (bucket != null) {
            bucket.close();
        }
        if (rendezvous != null) {
            rendezvous.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void inferencePayloadWithNumbersAsStrings() throws Exception {
        runJob("study-inference", r -> String.format("""
                {"bucket": "%s", "world_size": "2", "rank": "%d", "object_type": "folder",
                 "S3_object_name": "%s",
                 "data_path": "/tmp/%s/Inference/resized_inference.npz",
                 "script": "/tmp/%s/Inference/inference.py", "batch_size": "64"}""", BUCKET, r, FOLDER, FOLDER,
                FOLDER), "jfmi-results/study-inference");
    }

    @Test
    void executorPayloadWithUpperCaseKeys() throws Exception {
        runJob("study-executor", r -> String.format("""
                {"S3_BUCKET": "%s", "S3_OBJECT_NAME": "%s", "S3_OBJECT_TYPE": "folder",
                 "SCRIPT": "/tmp/%s/Inference/inference.py", "WORLD_SIZE": 2, "RANK": %d,
                 "data_path": "/tmp/%s/Inference/resized_inference.npz", "batch_size": 64}""", BUCKET, FOLDER,
                FOLDER, r, FOLDER), "jfmi-results/study-executor");
    }

    @Test
    void partitionPayloadSharesTheListedFiles() throws Exception {
        runJob("study-partition", r -> String.format("""
                {"bucket": "%s", "file_limit": "10", "batch_size": "64", "object_type": "folder",
                 "S3_object_name": "%s", "script": "/tmp/%s/Inference/inference.py",
                 "result_path": "result-partition-100MB/1GB/1", "data_bucket": "%s", "data_prefix": "100MB",
                 "world_size": 2, "rank": %d}""", BUCKET, FOLDER, FOLDER, BUCKET, r),
                "result-partition-100MB/1GB/1");
    }

    private void runJob(String job, java.util.function.IntFunction<String> event, String prefix) throws Exception {
        List<Process> ranks = new ArrayList<>();
        List<Path> responses = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            JsonObject ev = JsonParser.parseString(event.apply(r)).getAsJsonObject();
            ev.addProperty("rendezvous", rendezvous.address());
            ev.addProperty("job_id", job);
            ev.addProperty("secret", "it-secret-0123456789");
            Path evFile = dir.resolve(job + "-event-" + r + ".json");
            Files.writeString(evFile, ev.toString());
            Path response = dir.resolve(job + "-response-" + r + ".json");
            Path log = dir.resolve(job + "-rank-" + r + ".log");
            ProcessBuilder pb = new ProcessBuilder(LocalLaunchResults.javaCommand("invoke",
                    "--event", evFile.toString(), "--timeout", "240", "--response", response.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(s3.clientEnvironment());
            pb.environment().put("JFMI_WORK_DIR", dir.resolve(job + "-container-" + r).toString());
            ranks.add(pb.start());
            responses.add(response);
            logs.add(log);
            Thread.sleep(1500); // functions of a Map start at different moments
        }
        for (int r = 0; r < 2; r++) {
            assertTrue(ranks.get(r).waitFor(240, TimeUnit.SECONDS), "rank " + r + " hung: " + Files.readString(
                    logs.get(r)));
            assertEquals(0, ranks.get(r).exitValue(), "rank " + r + ": " + Files.readString(logs.get(r)));
        }
        JsonObject summary0 = JsonParser.parseString(Files.readString(responses.get(0))).getAsJsonObject();
        JsonObject summary1 = JsonParser.parseString(Files.readString(responses.get(1))).getAsJsonObject();
        assertEquals(SAMPLES, summary0.get("samples").getAsInt() + summary1.get("samples").getAsInt(),
                "the ranks' samples add up to the dataset");
        assertEquals(SAMPLES, summary0.getAsJsonObject("metrics").get("samples").getAsInt(), "metrics on rank 0");
        assertTrue(summary0.get("stood_in_for_script").getAsString().endsWith("inference.py"), summary0.toString());

        local.assertBucketHasTheSame(bucket, prefix, 2, dir);
        JsonObject info = JsonParser.parseString(new String(download(prefix + "/rank-1/execution_info.json")))
                .getAsJsonObject();
        assertEquals(1, info.get("rank").getAsInt());
        assertEquals(summary1.get("samples").getAsInt(), info.get("samples").getAsInt());
        assertTrue(info.get("sample_persec").getAsDouble() > 0, info.toString());
    }

    private static byte[] download(String key) throws IOException {
        Path f = Files.createTempFile(dir, "obj", ".bin");
        bucket.download(key, f);
        return Files.readAllBytes(f);
    }
}
