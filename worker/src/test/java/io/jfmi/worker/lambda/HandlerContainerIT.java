package io.jfmi.worker.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.FmiTimeoutException;
import io.jfmi.worker.S3ProxyProcess;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.inference.ShippedModel;
import io.jfmi.worker.storage.S3Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One container, several invocations (in this JVM, as Lambda reuses a warm container): the model is loaded once,
 * unchanged objects are not copied again, SnapStart's hooks close and renew what they must, and bad requests fail
 * with their reason.
 */
class HandlerContainerIT {
    static final String BUCKET = "container-bucket";
    static final String EVENT = """
            {"bucket": "%s", "world_size": 1, "rank": 0, "object_type": "folder", "S3_object_name": "study",
             "data_path": "/tmp/study/data/galaxies.npz", "batch_size": 50}""".formatted(BUCKET);

    @TempDir
    static Path dir;
    static S3ProxyProcess s3;

    @BeforeAll
    static void setUp() throws Exception {
        s3 = new S3ProxyProcess(dir);
        s3.createBucket(BUCKET);
        Path npz = dir.resolve("galaxies.npz");
        GalaxyGenerator.generate(120, 4).save(npz);
        Path model = ShippedModel.extractTo(dir.resolve("model"));
        try (S3Storage b = S3Storage.open(s3.settings(), BUCKET)) {
            b.upload(npz, "study/data/galaxies.npz");
            // the study's layout: the fine-tuned model in its own folder beside the data and scripts
            b.upload(npz, "tuned/Inference/galaxies.npz");
            try (var files = java.nio.file.Files.list(model)) {
                for (Path f : files.toList()) {
                    b.upload(f, "tuned/Fine_Tune_Model/" + f.getFileName());
                }
            }
            // A partition whose data files sort after 1,000 other objects: only a listing that follows S3's
            // pages (1,000 keys each) finds them.
            for (int i = 0; i < 1000; i++) {
                b.put(String.format("paged/note-%04d.txt", i), new byte[] {'x'});
            }
            for (int i = 0; i < 3; i++) {
                Path part = dir.resolve("part-" + i + ".npz");
                GalaxyGenerator.generate(10 + i, 30 + i).save(part);
                b.upload(part, "paged/z-part-" + i + ".npz");
            }
        }
    }

    @AfterAll
    static void tearDown() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static InferenceHandler handler(String work) {
        Map<String, String> env = new HashMap<>(s3.clientEnvironment());
        env.put("JFMI_WORK_DIR", dir.resolve(work).toString());
        return InferenceHandler.forEnvironment(env, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    @Test
    void aWarmContainerReusesItsModelAndCopiesAndSurvivesASnapshot() throws Exception {
        InferenceHandler h = handler("warm");
        Map<String, Object> first = h.handle(EventParserTest.json(EVENT), new LocalContext(120_000, 2048));
        assertEquals(1, first.get("objects_copied"));
        assertEquals(1, h.state().modelsLoaded());
        Map<String, Object> second = h.handle(EventParserTest.json(EVENT), new LocalContext(120_000, 2048));
        assertEquals(0, second.get("objects_copied"), "unchanged object not copied again");
        assertEquals(1, second.get("objects_reused"));
        assertEquals(1, h.state().modelsLoaded(), "the model is loaded once per container");
        assertEquals(((Map<?, ?>) first.get("metrics")).get("MAE"), ((Map<?, ?>) second.get("metrics")).get("MAE"),
                "same data, same model, same result");
        assertTrue(h.state().hasS3Client());

        var randomBefore = h.state().random();
        h.state().beforeCheckpoint(null);
        assertFalse(h.state().hasS3Client(), "no connection may live in a snapshot");
        h.state().afterRestore(null);
        assertNotSame(randomBefore, h.state().random(), "every restored copy draws its own random numbers");
        Map<String, Object> third = h.handle(EventParserTest.json(EVENT), new LocalContext(120_000, 2048));
        assertEquals(1, third.get("objects_copied"), "after restore the copy cache starts empty");
        assertEquals(120, third.get("samples"));
    }

    @Test
    void theStudysFineTuneModelFolderIsTheModel() throws Exception {
        InferenceHandler h = handler("tuned");
        Map<String, Object> r = h.handle(EventParserTest.json("""
                {"bucket": "%s", "world_size": 1, "rank": 0, "object_type": "folder", "S3_object_name": "tuned",
                 "data_path": "/tmp/tuned/Inference/galaxies.npz"}""".formatted(BUCKET)),
                new LocalContext(120_000, 2048));
        assertTrue(r.get("model").toString().contains("tuned/Fine_Tune_Model"), r.toString());
        assertEquals(120, r.get("samples"));
    }

    @Test
    void aPartitionListingFollowsEveryPageAndKeepsToTheFileLimit() throws Exception {
        InferenceHandler h = handler("paged");
        String event = """
                {"bucket": "%s", "data_prefix": "paged/", "file_limit": "%d", "batch_size": "8",
                 "result_path": "paged-results/%d"}""";
        Map<String, Object> all = h.handle(EventParserTest.json(event.formatted(BUCKET, 0, 0)),
                new LocalContext(120_000, 2048));
        assertEquals(10 + 11 + 12, all.get("samples"), "all three data files, found on the second page");
        Map<String, Object> two = h.handle(EventParserTest.json(event.formatted(BUCKET, 2, 2)),
                new LocalContext(120_000, 2048));
        assertEquals(10 + 11, two.get("samples"), "file_limit 2: the first two data files in key order");
    }

    @Test
    void aReuploadedModelIsLoadedAgainByAWarmContainer() throws Exception {
        InferenceHandler h = handler("reupload");
        String event = """
                {"bucket": "%s", "world_size": 1, "rank": 0, "object_type": "folder", "S3_object_name": "tuned",
                 "data_path": "/tmp/tuned/Inference/galaxies.npz"}""".formatted(BUCKET);
        h.handle(EventParserTest.json(event), new LocalContext(120_000, 2048));
        Map<String, Object> same = h.handle(EventParserTest.json(event), new LocalContext(120_000, 2048));
        assertEquals(0, same.get("objects_copied"), "nothing changed, nothing copied");
        Path retrained = ShippedModel.extractTo(dir.resolve("retrained"));
        try (S3Storage b = S3Storage.open(s3.settings(), BUCKET)) {
            // a changed model file (here its description, still valid): a new version in the bucket
            Files.writeString(retrained.resolve("model.json"), Files.readString(retrained.resolve("model.json"))
                    + "\n");
            b.upload(retrained.resolve("model.json"), "tuned/Fine_Tune_Model/model.json");
        }
        Thread.sleep(5); // file times have millisecond resolution
        Map<String, Object> after = h.handle(EventParserTest.json(event), new LocalContext(120_000, 2048));
        assertEquals(1, after.get("objects_copied"), "the changed model file");
        assertEquals(1, h.state().modelsLoaded(), "the old model was replaced, not kept beside the new one");
    }

    @Test
    void aRankNearItsFunctionTimeoutFailsWithTheReason() {
        InferenceHandler h = handler("late");
        FmiTimeoutException e = assertThrows(FmiTimeoutException.class,
                () -> h.handle(EventParserTest.json(EVENT), new LocalContext(5_000, 2048)));
        assertTrue(e.getMessage().contains("left of its function timeout before joining the job"), e.getMessage());
    }

    @Test
    void aMissingObjectIsNamed() {
        InferenceHandler h = handler("missing");
        IOException e = assertThrows(IOException.class, () -> h.handle(EventParserTest.json(
                EVENT.replace("\"study\"", "\"no-such-folder\"")), new LocalContext(120_000, 2048)));
        assertTrue(e.getMessage().contains("s3://" + BUCKET + "/no-such-folder/"), e.getMessage());
        IOException noBucket = assertThrows(IOException.class, () -> h.handle(EventParserTest.json(
                EVENT.replace(BUCKET, "no-such-bucket")), new LocalContext(120_000, 2048)));
        assertTrue(noBucket.getMessage().contains("no-such-bucket"), noBucket.getMessage());
    }
}
