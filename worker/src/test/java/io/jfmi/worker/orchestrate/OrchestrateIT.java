package io.jfmi.worker.orchestrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jfmi.worker.DebianPython;
import io.jfmi.worker.S3ProxyProcess;
import io.jfmi.worker.data.GalaxyDataset;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.data.Partitioner;
import io.jfmi.worker.lambda.LocalLaunchResults;
import io.jfmi.worker.storage.S3Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Step Functions path end to end: `stepfunction` writes a definition for the study's payload, asl-validator
 * accepts it, and `orchestrate` runs that same definition with the payload, each rank a handler invocation in its
 * own JVM, against S3Proxy; the results in the bucket equal a local `launch` on the same data.
 */
class OrchestrateIT {
    static final String BUCKET = "team-one-s3-cosmic";
    static final String FOLDER = "scripts/Anomaly Detection";
    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:jfmi-inference";
    static final int SAMPLES = 421;
    static final int RANKS = 3;

    @TempDir
    static Path dir;
    static S3ProxyProcess s3;
    static S3Storage bucket;
    static LocalLaunchResults local;

    @BeforeAll
    static void setUp() throws Exception {
        s3 = new S3ProxyProcess(dir);
        s3.createBucket(BUCKET);
        bucket = S3Storage.open(s3.settings(), BUCKET);
        GalaxyDataset data = GalaxyGenerator.generate(SAMPLES, 31);
        Path npz = dir.resolve("galaxies.npz");
        data.save(npz);
        bucket.upload(npz, FOLDER + "/Inference/resized_inference.npz");
        Path shards = dir.resolve("shards");
        Partitioner.byCount(data, 4, shards);
        try (Stream<Path> files = Files.list(shards)) {
            for (Path f : files.sorted().toList()) {
                bucket.upload(f, "100MB/" + f.getFileName());
            }
        }
        local = LocalLaunchResults.launch(npz, RANKS, dir.resolve("local"));
    }

    @AfterAll
    static void tearDown() {
        if (bucket != null) {
            bucket.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void theStudysInferencePayloadWithNumbersAsStrings() throws Exception {
        run("inference", """
                {"bucket": "%s", "world_size": "1", "object_type": "folder", "S3_object_name": "%s",
                 "data_path": "/tmp/%s/Inference/resized_inference.npz",
                 "script": "/tmp/%s/Inference/inference.py", "batch_size": "64"}""".formatted(BUCKET, FOLDER, FOLDER,
                FOLDER), "jfmi-results/orchestrate-inference");
    }

    @Test
    void theStudysPartitionPayload() throws Exception {
        run("partition", """
                {"bucket": "%s", "file_limit": "25", "batch_size": "64", "object_type": "folder",
                 "S3_object_name": "%s", "script": "/tmp/%s/Inference/inference.py",
                 "result_path": "result-partition-100MB/1GB/1", "data_bucket": "%s", "data_prefix": "100MB"}"""
                .formatted(BUCKET, FOLDER, FOLDER, BUCKET), "result-partition-100MB/1GB/1");
    }

    private void run(String shape, String payload, String resultPrefix) throws Exception {
        Path payloadFile = dir.resolve(shape + "-payload.json");
        Files.writeString(payloadFile, payload);
        Path definition = dir.resolve(shape + "-statemachine.json");
        DebianPython.Result gen = DebianPython.run(LocalLaunchResults.javaCommand("stepfunction", "--world-size",
                Integer.toString(RANKS), "--function", FUNCTION, "--payload", payloadFile.toString(), "--out",
                definition.toString()), 60);
        assertEquals(0, gen.exitCode(), gen.output());
        AslValidator.assertValid(definition);

        String execution = "orchestrate-" + shape;
        Path output = dir.resolve(shape + "-output.json");
        ProcessBuilder pb = new ProcessBuilder(LocalLaunchResults.javaCommand("orchestrate", "--definition",
                definition.toString(), "--payload", payloadFile.toString(), "--name", execution, "--timeout", "240",
                "--work", dir.resolve(shape + "-work").toString(), "--out", output.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve(shape + ".log").toFile());
        pb.environment().putAll(s3.clientEnvironment());
        Process p = pb.start();
        assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "orchestrate hung");
        String log = Files.readString(dir.resolve(shape + ".log"));
        assertEquals(0, p.exitValue(), log);
        for (String transition : List.of("Initialize (Pass): entered", "Ranks (Map): exited",
                "Ranks[2].InvokeRank (Task): exited", "Summarize (Pass): exited")) {
            assertTrue(log.contains(transition), transition + " in:\n" + log);
        }
        JsonObject out = JsonParser.parseString(Files.readString(output)).getAsJsonObject();
        assertEquals(execution, out.get("job_id").getAsString(), "the job id is the execution name");
        assertEquals(RANKS, out.get("world_size").getAsInt());
        assertEquals(SAMPLES, out.getAsJsonObject("rank0").getAsJsonObject("metrics").get("samples").getAsInt());
        local.assertBucketHasTheSame(bucket, resultPrefix, RANKS, dir);
    }
}
