package io.jfmi.benchmarks.coldstart;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jfmi.benchmarks.Exec;
import io.jfmi.benchmarks.Folders;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.job.AtomicFiles;
import io.jfmi.worker.json.JsonCodec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cold starts of the Lambda handler: each run is a fresh JVM (the ColdStartProbe shipped in the artifacts) with a
 * fresh work dir, as a new Lambda container; variants differ in artifact (zip with ONNX Runtime, image with
 * PyTorch), JIT (C2, or C1 only as Lambda's managed Java runtimes default to) and class-data sharing.
 */
@Command(name = "coldstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cold starts of the Lambda handler in fresh JVMs: Init (JVM start to handler ready: engine and "
                + "model loaded, collectives primed, no network), first and second invocation of a one-rank job, and "
                + "the combining collectives' first call against warm calls (2 in-process ranks).",
            "Variants: ort-c2, ort-c1, ort-c1-appcds, ort-c1-noprime (zip, ONNX Runtime), pytorch-c2, pytorch-c1, "
                + "pytorch-c1-appcds (image tree, PyTorch, libtorch already unpacked). All prime the collectives at "
                + "Init (JFMI_PRIME=1) except ort-c1-noprime. Needs `mvn package` first."})
public final class ColdStartCommand implements Callable<Integer> {
    static final List<String> ALL_VARIANTS = List.of("ort-c2", "ort-c1", "ort-c1-appcds", "ort-c1-noprime",
            "pytorch-c2", "pytorch-c1", "pytorch-c1-appcds");

    @Option(names = "--runs", description = "Fresh JVMs per variant (default: ${DEFAULT-VALUE}).")
    int runs = 10;

    @Option(names = "--variants", split = ",", description = "Variants to run (default: all).")
    List<String> variants = ALL_VARIANTS;

    @Option(names = "--cpus", description = "Cores the probe JVM may use (taskset and -XX:ActiveProcessorCount); "
            + "1 is a Lambda function of 1,769 MB (default: ${DEFAULT-VALUE}).")
    int cpus = 1;

    @Option(names = "--zip", paramLabel = "FILE", description = "The Lambda zip (default: worker/target/"
            + "jfmi-lambda.zip of this checkout).")
    Path zip;

    @Option(names = "--image-lib", paramLabel = "DIR", description = "The image's lib folder (default: "
            + "worker/target/lambda-image/lib of this checkout).")
    Path imageLib;

    @Option(names = "--onnx-model", paramLabel = "FILE", description = "ONNX model for the ort variants (default: "
            + "the shipped small ViT_Astro's ONNX form).")
    Path onnxModel;

    @Option(names = "--samples", description = "Galaxies in the invocation's data (default: ${DEFAULT-VALUE}).")
    int samples = 256;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results", "coldstart");

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || cpus < 1) {
            throw new IllegalArgumentException("--runs and --cpus must be >= 1");
        }
        for (String v : variants) {
            if (!ALL_VARIANTS.contains(v)) {
                throw new IllegalArgumentException("--variants: unknown '" + v + "' (" + ALL_VARIANTS + ")");
            }
        }
        out = out.toAbsolutePath();
        Files.createDirectories(out);
        Path root = checkoutRoot();
        zip = zip != null ? zip : root.resolve("worker/target/jfmi-lambda.zip");
        imageLib = imageLib != null ? imageLib : root.resolve("worker/target/lambda-image/lib");
        Path event = prepareEvent();
        Map<String, ColdStartVariant> available = variants();
        List<ColdStartRuns> results = new ArrayList<>();
        for (String name : variants) {
            ColdStartVariant v = available.get(name);
            if (v == null) {
                continue; // reason already printed
            }
            if (name.endsWith("-appcds")) {
                v = withClassDataArchive(v, event);
            }
            ColdStartRuns r = new ColdStartRuns(name);
            for (int i = 0; i < runs; i++) {
                r.add(runOnce(v, event, name + "-" + i));
            }
            System.out.println(r.summaryLine());
            results.add(r);
        }
        String table = ColdStartRuns.markdownTable(results, cpus);
        System.out.println();
        System.out.print(table);
        AtomicFiles.writeString(out.resolve("coldstart.md"), table);
        AtomicFiles.writeString(out.resolve("coldstart.csv"), ColdStartRuns.csv(results));
        System.out.println("wrote " + out.resolve("coldstart.md") + " and coldstart.csv");
        return 0;
    }

    private Map<String, ColdStartVariant> variants() throws IOException {
        Map<String, ColdStartVariant> m = new LinkedHashMap<>();
        List<String> c1 = List.of("-XX:TieredStopAtLevel=1");
        if (variants.stream().anyMatch(v -> v.startsWith("ort"))) {
            if (!Files.isRegularFile(zip)) {
                System.out.println("ort variants skipped: " + zip + " not found (mvn package)");
            } else {
                String cp = unzip(zip, out.resolve("task")).resolve("lib") + File.separator + "*";
                // the shipped model's ONNX form, loaded at Init, unless --onnx-model names another
                String model = onnxModel != null ? onnxModel.toAbsolutePath().toString() : "shipped";
                Map<String, String> env = Map.of("JFMI_MODEL", model, "JFMI_ENGINE", "onnxruntime",
                        "JFMI_PRIME", "1");
                Map<String, String> noPrime = new LinkedHashMap<>(env);
                noPrime.put("JFMI_PRIME", "0");
                m.put("ort-c2", new ColdStartVariant("ort-c2", cp, List.of(), env));
                m.put("ort-c1", new ColdStartVariant("ort-c1", cp, c1, env));
                m.put("ort-c1-appcds", new ColdStartVariant("ort-c1-appcds", cp, c1, env));
                m.put("ort-c1-noprime", new ColdStartVariant("ort-c1-noprime", cp, c1, noPrime));
            }
        }
        if (variants.stream().anyMatch(v -> v.startsWith("pytorch"))) {
            if (!Files.isDirectory(imageLib)) {
                System.out.println("pytorch variants skipped: " + imageLib + " not found (mvn package)");
            } else {
                String cp = imageLib.toAbsolutePath() + File.separator + "*";
                // libtorch unpacked once into the user's DJL cache, as an image would carry it unpacked
                String djlCache = Path.of(System.getProperty("user.home"), ".djl.ai").toString();
                Map<String, String> env = Map.of("JFMI_MODEL", "shipped", "JFMI_ENGINE", "pytorch",
                        "JFMI_PRIME", "1", "DJL_CACHE_DIR", djlCache);
                m.put("pytorch-c2", new ColdStartVariant("pytorch-c2", cp, List.of(), env));
                m.put("pytorch-c1", new ColdStartVariant("pytorch-c1", cp, c1, env));
                m.put("pytorch-c1-appcds", new ColdStartVariant("pytorch-c1-appcds", cp, c1, env));
            }
        }
        return m;
    }

    /** One training run writes a dynamic AppCDS archive of the classes a cold start loads; the variant uses it. */
    private ColdStartVariant withClassDataArchive(ColdStartVariant v, Path event) throws Exception {
        Path jsa = out.resolve(v.name() + ".jsa");
        Files.deleteIfExists(jsa);
        List<String> training = new ArrayList<>(v.jvmOpts());
        training.add("-XX:ArchiveClassesAtExit=" + jsa);
        runOnce(new ColdStartVariant(v.name() + "-training", v.classpath(), training, v.env()), event,
                v.name() + "-training");
        if (!Files.isRegularFile(jsa)) {
            throw new IOException("the training run wrote no archive " + jsa);
        }
        List<String> opts = new ArrayList<>(v.jvmOpts());
        opts.add("-XX:SharedArchiveFile=" + jsa);
        return new ColdStartVariant(v.name(), v.classpath(), opts, v.env());
    }

    private JsonObject runOnce(ColdStartVariant v, Path event, String runName) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.addAll(Exec.pinnedToCores(cpus));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:ActiveProcessorCount=" + cpus);
        cmd.add("-Xmx1g");
        cmd.addAll(v.jvmOpts());
        cmd.addAll(List.of("-cp", v.classpath(), "io.jfmi.worker.lambda.ColdStartProbe", event.toString()));
        Map<String, String> env = new LinkedHashMap<>(v.env());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "jfmi-coldstart");
        env.put("JFMI_WORK_DIR", out.resolve("containers").resolve(runName).toString());
        env.put("JFMI_DEADLINE_MARGIN_SECONDS", "5");
        env.put("JFMI_PROBE_LAUNCHED_AT_MS", Long.toString(System.currentTimeMillis()));
        List<String> lines = Exec.runAll(List.of(cmd), List.of(env), out, Duration.ofMinutes(5));
        for (String line : lines) {
            if (line.startsWith("COLDSTART ")) {
                return JsonParser.parseString(line.substring("COLDSTART ".length())).getAsJsonObject();
            }
        }
        throw new IOException(runName + ": the probe printed no COLDSTART line:\n" + String.join("\n", lines));
    }

    /** A one-rank inference event over a generated dataset in a local bucket folder. */
    private Path prepareEvent() throws IOException {
        Path bucket = out.resolve("bucket");
        GalaxyGenerator.generate(samples, 5).save(bucket.resolve("study/data/galaxies.npz"));
        Path event = out.resolve("event.json");
        JsonObject json = new JsonObject();
        json.addProperty("bucket", bucket.toString());
        json.addProperty("world_size", 1);
        json.addProperty("rank", 0);
        json.addProperty("object_type", "folder");
        json.addProperty("S3_object_name", "study");
        json.addProperty("data_path", "/tmp/study/data/galaxies.npz");
        json.addProperty("batch_size", 256);
        json.addProperty("result_path", "results");
        Files.writeString(event, JsonCodec.write(json));
        return event;
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            Folders.deleteTree(target);
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                Path p = target.resolve(e.getName()).normalize();
                if (!p.startsWith(target)) {
                    throw new IOException(zip + ": entry " + e.getName() + " points outside the folder");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, p);
                    }
                }
            }
        }
        return target;
    }

    /** The checkout this benchmarks.jar was built in (benchmarks/target/benchmarks.jar), else the working dir. */
    private static Path checkoutRoot() {
        try {
            Path jar = Path.of(ColdStartCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = jar.getParent() != null && jar.getParent().getParent() != null
                    ? jar.getParent().getParent().getParent() : null;
            if (root != null && Files.isDirectory(root.resolve("worker"))) {
                return root;
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    static double[] values(List<JsonObject> runs, String key) {
        return runs.stream().mapToDouble(o -> o.get(key).getAsDouble()).toArray();
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
    }
}
