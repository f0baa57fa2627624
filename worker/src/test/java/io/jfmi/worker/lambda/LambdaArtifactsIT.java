package io.jfmi.worker.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.job.ResultFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment artifacts Maven builds: the zip for Lambda's managed Java runtime (ONNX Runtime engine) and the
 * container image's /var/task tree (PyTorch engine), each run by the real Runtime Interface Client against a local
 * endpoint that speaks the Lambda Runtime API, started as the runtime (or the image's entry point) starts it.
 */
class LambdaArtifactsIT {
    static final Path ZIP = Path.of("target", "jfmi-lambda.zip").toAbsolutePath();
    static final Path IMAGE_LIB = Path.of("target", "lambda-image", "lib").toAbsolutePath();
    /** Lambda's hard limit for a zip, unzipped, and the target we hold ourselves to. */
    static final long LAMBDA_LIMIT = 250L << 20;
    static final long TARGET = 60L << 20;
    static final int SAMPLES = 90;
    static final String HANDLER = "io.jfmi.worker.lambda.InferenceHandler::handleRequest";
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws IOException {
        GalaxyGenerator.generate(SAMPLES, 17).save(dir.resolve("bucket").resolve("study").resolve("data")
                .resolve("galaxies.npz"));
    }

    @Test
    void theZipIsWithinLambdasLimitsAndHoldsTheHandlerAndLinuxNativesOnly() throws IOException {
        assertTrue(Files.isRegularFile(ZIP), ZIP + " not built (mvn package)");
        long unzipped = 0;
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(ZIP.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                unzipped += entry.getSize();
                names.add(entry.getName());
            }
            System.out.printf("jfmi-lambda.zip: %.1f MB packed, %.1f MB unzipped, %d files%n",
                    Files.size(ZIP) / 1048576.0, unzipped / 1048576.0, names.size());
            assertTrue(unzipped < LAMBDA_LIMIT, "unzipped " + unzipped + " bytes");
            assertTrue(unzipped < TARGET, "unzipped " + unzipped + " bytes, over the 60 MB target");
            assertFalse(names.stream().anyMatch(n -> n.contains("pytorch") || n.contains("libtorch")),
                    "no PyTorch in the zip: " + names);
            String worker = names.stream().filter(n -> n.matches("lib/worker-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no worker jar in " + names));
            assertTrue(entries(z, worker).contains("io/jfmi/worker/lambda/InferenceHandler.class"));
            String ort = names.stream().filter(n -> n.matches("lib/onnxruntime-linux-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ONNX Runtime jar in " + names));
            List<String> natives = entries(z, ort).stream().filter(n -> n.startsWith("ai/onnxruntime/native/")
                    && (n.endsWith(".so") || n.endsWith(".dylib") || n.endsWith(".dll"))).toList();
            assertTrue(natives.contains("ai/onnxruntime/native/linux-x64/libonnxruntime.so"), natives.toString());
            assertTrue(natives.contains("ai/onnxruntime/native/linux-aarch64/libonnxruntime.so"), natives.toString());
            assertTrue(natives.stream().allMatch(n -> n.contains("/linux-")), "Linux natives only: " + natives);
        }
    }

    @Test
    void theZipServesInvocationsUnderTheRuntimeClientWithOnnxRuntimeAndTheShippedModel() throws Exception {
        Path task = dir.resolve("task");
        unzip(ZIP, task);
        String classpath = task + File.pathSeparator + task.resolve("lib") + File.separator + "*"
                + File.pathSeparator + runtimeClientJars();
        JsonObject ok = runUnderRuntimeClient(classpath, Map.of("JFMI_MODEL", "shipped"), "zip");
        assertEquals("OnnxRuntime", ok.get("engine").getAsString());
        assertTrue(ok.get("model").getAsString().endsWith("vit_astro.onnx"), ok.toString());
        assertTrue(ok.getAsJsonObject("metrics").get("R2").getAsDouble() > 0.9,
                "the shipped model's trained weights, not random ones: " + ok);
    }

    @Test
    void theImageTreeServesInvocationsUnderItsEntryPointWithPyTorch() throws Exception {
        assertTrue(Files.isDirectory(IMAGE_LIB), IMAGE_LIB + " not built (mvn package)");
        // DJL unpacks libtorch from the artifact's jar; share the build's cache rather than unpack 430 MB again
        String djlCache = Path.of(System.getProperty("user.home"), ".djl.ai").toString();
        JsonObject ok = runUnderRuntimeClient(IMAGE_LIB + File.separator + "*", Map.of("DJL_CACHE_DIR", djlCache,
                "JFMI_ENGINE", "pytorch"),
                "image");
        assertEquals("PyTorch", ok.get("engine").getAsString());
    }

    /**
     * Starts the runtime client as Lambda does (C1 only, as the managed runtime's default), sends a good event and
     * a bad one, and checks the answers: a summary, and an error naming the missing key.
     */
    private static JsonObject runUnderRuntimeClient(String classpath, Map<String, String> env, String name)
            throws Exception {
        Path log = dir.resolve(name + ".log");
        try (RuntimeApiEndpoint api = new RuntimeApiEndpoint(120_000)) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xmx1g", "-cp", classpath, RIC_MAIN, HANDLER)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            pb.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
            pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "jfmi-test");
            pb.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048");
            pb.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            pb.environment().put("JFMI_WORK_DIR", dir.resolve(name + "-tmp").toString());
            pb.environment().put("JFMI_DEADLINE_MARGIN_SECONDS", "5");
            Process p = pb.start();
            try {
                String good = api.invoke("""
                        {"bucket": "%s", "world_size": "1", "rank": "0", "object_type": "folder",
                         "S3_object_name": "study", "data_path": "/tmp/study/data/galaxies.npz", "batch_size": 32,
                         "result_path": "%s-results"}""".formatted(dir.resolve("bucket"), name));
                String bad = api.invoke("""
                        {"bucket": "%s", "world_size": 1, "rank": 0, "S3_object_name": "study"}"""
                        .formatted(dir.resolve("bucket")));
                RuntimeApiEndpoint.Result r;
                try {
                    r = api.await(good, 180);
                } catch (AssertionError timeout) {
                    throw new AssertionError(timeout.getMessage() + "; runtime client output:\n"
                            + Files.readString(log), timeout);
                }
                assertFalse(r.error(), r.body() + "\n" + Files.readString(log));
                JsonObject summary = JsonParser.parseString(r.body()).getAsJsonObject();
                assertEquals(SAMPLES, summary.get("samples").getAsInt(), r.body());
                assertEquals(SAMPLES, summary.getAsJsonObject("metrics").get("samples").getAsInt());
                Path results = dir.resolve("bucket").resolve(name + "-results");
                assertTrue(Files.size(results.resolve(ResultFiles.REDSHIFT_PLOT)) > 1000, "plot written");
                assertTrue(Files.exists(results.resolve(LambdaJob.SUCCESS)));
                RuntimeApiEndpoint.Result e = api.await(bad, 60);
                assertTrue(e.error(), e.body());
                assertTrue(e.body().contains("missing required key 'data_path'"), e.body());
                assertTrue(api.initErrors.isEmpty(), api.initErrors.toString());
                assertTrue(Files.readString(log).contains("init: ready in"), Files.readString(log));
                return summary;
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The runtime client and its serialization jar, which Lambda's managed runtime provides beside the zip. */
    private static String runtimeClientJars() {
        List<String> jars = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("aws-lambda-java-runtime-interface-client") || e.contains("aws-lambda-java-serialization")
                    || e.contains("aws-lambda-java-core")) {
                jars.add(e);
            }
        }
        assertEquals(3, jars.size(), "runtime client jars on the test classpath: " + jars);
        return String.join(File.pathSeparator, jars);
    }

    private static List<String> entries(ZipFile z, String jarEntry) throws IOException {
        List<String> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(z.getInputStream(z.getEntry(jarEntry)))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                out.add(e.getName());
            }
        }
        return out;
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = z.getInputStream(entry)) {
                    Files.copy(in, out);
                }
            }
        }
    }
}
