package io.jfmi.worker.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.core.FmiTimeoutException;
import io.jfmi.worker.S3ProxyProcess;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.storage.S3Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        try (S3Storage b = S3Storage.open(s3.settings(), BUCKET)) {
            b.upload(npz, "study/data/galaxies.npz");
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
