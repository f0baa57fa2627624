package io.jfmi.worker.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The study's three payload shapes, as it wrote them, and the errors for bad ones. */
class EventParserTest {
    static final Map<String, String> JOB_ENV = Map.of("JFMI_RENDEZVOUS", "10.0.0.1:7700", "JFMI_JOB_ID", "j1",
            "JFMI_SECRET", "env-secret-123");

    static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    static StudyEvent parse(String s, Map<String, String> env) {
        return EventParser.parse(json(s), env, "fallback-job");
    }

    @Test
    void inferencePayloadAsTheStudyWroteIt() {
        StudyEvent e = parse("""
                {"bucket": "team-one-s3-cosmic", "world_size": "1", "object_type": "folder",
                 "S3_object_name": "scripts/Anomaly Detection",
                 "data_path": "/tmp/scripts/Anomaly Detection/Inference/resized_inference.pt",
                 "script": "/tmp/scripts/Anomaly Detection/Inference/inference.py", "rank": 0}""", Map.of());
        assertEquals(StudyEvent.Shape.INFERENCE, e.shape());
        assertEquals("team-one-s3-cosmic", e.bucket());
        assertEquals(1, e.worldSize());
        assertEquals(0, e.rank());
        assertEquals(StudyEvent.ObjectType.FOLDER, e.objectType());
        assertEquals("scripts/Anomaly Detection", e.objectName());
        assertEquals("/tmp/scripts/Anomaly Detection/Inference/resized_inference.pt", e.dataPath());
        assertEquals(EventParser.DEFAULT_BATCH_SIZE, e.batchSize());
        assertEquals("fallback-job", e.jfmi().jobId(), "a one-rank job needs no job id");
        assertEquals("jfmi-results/fallback-job", e.resultPrefix());
        assertEquals(List.of(), e.ignoredKeys());
    }

    @Test
    void partitionPayloadWithoutRankIsOneFunctionPerPartition() {
        StudyEvent e = parse("""
                {"bucket": "b", "file_limit": "25", "batch_size": "512", "object_type": "folder",
                 "S3_object_name": "scripts", "script": "/tmp/scripts/inference.py",
                 "result_path": "result-partition-100MB/1GB/1/", "data_bucket": "data-b", "data_prefix": "100MB"}""",
                Map.of());
        assertEquals(StudyEvent.Shape.PARTITION, e.shape());
        assertEquals(1, e.worldSize());
        assertEquals(25, e.fileLimit());
        assertEquals(512, e.batchSize());
        assertEquals("data-b", e.dataBucket());
        assertEquals("100MB", e.dataPrefix());
        assertNull(e.dataPath());
        assertEquals("result-partition-100MB/1GB/1", e.resultPrefix(), "trailing slash dropped");
    }

    @Test
    void executorPayloadWithUpperCaseKeysAndJfmiSettingsFromTheEnvironment() {
        StudyEvent e = parse("""
                {"S3_BUCKET": "b", "S3_OBJECT_NAME": "scripts", "S3_OBJECT_TYPE": "folder", "SCRIPT": "x.py",
                 "WORLD_SIZE": 4, "RANK": 3, "data_path": "/tmp/scripts/d.pt", "extra_key": true}""", JOB_ENV);
        assertEquals(StudyEvent.Shape.EXECUTOR, e.shape());
        assertEquals(4, e.worldSize());
        assertEquals(3, e.rank());
        assertEquals("10.0.0.1:7700", e.jfmi().rendezvous());
        assertEquals("j1", e.jfmi().jobId());
        assertEquals("env-secret-123", e.jfmi().secret());
        assertEquals(List.of("extra_key"), e.ignoredKeys(), "unknown keys are reported, not fatal");
    }

    @Test
    void eventKeysWinOverTheEnvironment() {
        StudyEvent e = parse("""
                {"bucket": "b", "world_size": 2, "rank": 1, "S3_object_name": "s", "data_path": "d.npz",
                 "job_id": "from-event", "timeout_seconds": "30", "engine": "OnnxRuntime", "threads": 2}""",
                JOB_ENV);
        assertEquals("from-event", e.jfmi().jobId());
        assertEquals(30, e.jfmi().timeoutSeconds());
        assertEquals("onnxruntime", e.jfmi().engine());
        assertEquals(2, e.jfmi().threads());
    }

    @Test
    void tlsAndSealingFromTheEventOrTheEnvironment() {
        StudyEvent plain = parse("""
                {"bucket": "b", "world_size": 2, "rank": 1, "S3_object_name": "s", "data_path": "d.npz"}""", JOB_ENV);
        assertTrue(!plain.jfmi().tls() && !plain.jfmi().sealLinks() && plain.jfmi().tlsTrust() == null);
        java.util.Map<String, String> env = new java.util.HashMap<>(JOB_ENV);
        env.put("JFMI_TLS_TRUST", "/var/task/rendezvous-cert.pem");
        env.put("JFMI_SEAL_LINKS", "true");
        StudyEvent fromEnv = parse("""
                {"bucket": "b", "world_size": 2, "rank": 1, "S3_object_name": "s", "data_path": "d.npz"}""", env);
        assertTrue(fromEnv.jfmi().tls(), "a trust file turns TLS on");
        assertEquals("/var/task/rendezvous-cert.pem", fromEnv.jfmi().tlsTrust());
        assertTrue(fromEnv.jfmi().sealLinks());
        StudyEvent fromEvent = parse("""
                {"bucket": "b", "world_size": 2, "rank": 1, "S3_object_name": "s", "data_path": "d.npz",
                 "tls": true, "seal_links": "false"}""", env);
        assertTrue(fromEvent.jfmi().tls());
        assertTrue(!fromEvent.jfmi().sealLinks(), "the event's false wins over the environment's true");
        assertMessage("key 'seal_links' (or environment variable JFMI_SEAL_LINKS) must be true or false, got \"yes\"",
                """
                {"bucket": "b", "world_size": 2, "rank": 1, "S3_object_name": "s", "data_path": "d.npz",
                 "seal_links": "yes"}""", JOB_ENV);
    }

    @Test
    void healingLinksDefaultToPunchedAndComeFromTheEventOrTheEnvironment() {
        String event = """
                {"bucket": "b", "world_size": 2, "rank": 1, "S3_object_name": "s", "data_path": "d.npz"}""";
        assertEquals("punched", parse(event, JOB_ENV).jfmi().healLinks());
        java.util.Map<String, String> env = new java.util.HashMap<>(JOB_ENV);
        env.put("JFMI_HEAL_LINKS", "ALL");
        assertEquals("all", parse(event, env).jfmi().healLinks());
        assertEquals("off", parse("""
                {"bucket": "b", "world_size": 2, "rank": 1, "S3_object_name": "s", "data_path": "d.npz",
                 "heal_links": "off"}""", env).jfmi().healLinks(), "the event wins over the environment");
        assertMessage("key 'heal_links' (or environment variable JFMI_HEAL_LINKS) must be off, punched or all, "
                + "got \"sometimes\"", """
                {"bucket": "b", "world_size": 2, "rank": 1, "S3_object_name": "s", "data_path": "d.npz",
                 "heal_links": "sometimes"}""", JOB_ENV);
    }

    @Test
    void errorsNameTheKey() {
        assertMessage("missing required key 'data_path'", """
                {"bucket": "b", "world_size": 1, "rank": 0, "S3_object_name": "s"}""", Map.of());
        assertMessage("key 'world_size' must be a whole number, got \"four\"", """
                {"bucket": "b", "world_size": "four", "rank": 0, "S3_object_name": "s", "data_path": "d"}""",
                Map.of());
        assertMessage("key 'RANK' must be in 0..1", """
                {"S3_BUCKET": "b", "S3_OBJECT_NAME": "s", "WORLD_SIZE": 2, "RANK": 2, "data_path": "d"}""", JOB_ENV);
        assertMessage("key 'object_type' must be \"folder\" or \"file\"", """
                {"bucket": "b", "world_size": 1, "rank": 0, "object_type": "dir", "S3_object_name": "s",
                 "data_path": "d"}""", Map.of());
        assertMessage("key 'rendezvous' (or environment variable JFMI_RENDEZVOUS) is required when world_size > 1",
                """
                {"bucket": "b", "world_size": 2, "rank": 0, "S3_object_name": "s", "data_path": "d"}""", Map.of());
        assertMessage("key 'batch_size' must be >= 1", """
                {"bucket": "b", "world_size": 1, "rank": 0, "S3_object_name": "s", "data_path": "d",
                 "batch_size": "0"}""", Map.of());
        assertMessage("key 'S3_object_name' must be a string", """
                {"bucket": "b", "world_size": 1, "rank": 0, "S3_object_name": ["s"], "data_path": "d"}""", Map.of());
        assertMessage("event has none of the keys 'bucket'", "{\"Bucket\": \"b\"}", Map.of());
        assertMessage("key 'engine' must be auto, pytorch or onnxruntime", """
                {"bucket": "b", "world_size": 1, "rank": 0, "S3_object_name": "s", "data_path": "d",
                 "engine": "tensorflow"}""", Map.of());
    }

    @Test
    void aFileObjectNeedsNoDataPath() {
        StudyEvent e = parse("""
                {"bucket": "b", "world_size": 1, "rank": 0, "object_type": "file", "S3_object_name": "d/x.pt"}""",
                Map.of());
        assertEquals(StudyEvent.ObjectType.FILE, e.objectType());
        assertNull(e.dataPath());
    }

    private static void assertMessage(String expected, String event, Map<String, String> env) {
        PayloadException e = assertThrows(PayloadException.class, () -> parse(event, env));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
