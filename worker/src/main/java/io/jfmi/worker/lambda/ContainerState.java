package io.jfmi.worker.lambda;

import io.jfmi.worker.inference.DjlSetup;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.inference.ModelLoader;
import io.jfmi.worker.inference.RedshiftModel;
import io.jfmi.worker.inference.ShippedModel;
import io.jfmi.worker.storage.LocalStorage;
import io.jfmi.worker.storage.S3Clients;
import io.jfmi.worker.storage.S3Settings;
import io.jfmi.worker.storage.S3Storage;
import io.jfmi.worker.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a Lambda container keeps between invocations: loaded models (the expensive part of a cold start), S3 clients,
 * and the version tags of files already copied to local disk. Built once per container during Init, with no
 * network, so a SnapStart snapshot may be taken after it; connections are made per invocation.
 */
public final class ContainerState implements Resource {
    private static final Logger log = LoggerFactory.getLogger(ContainerState.class);
    /** JFMI_MODEL (or the event's model key) naming the model shipped in the artifact. */
    static final String SHIPPED = "shipped";

    private final Map<String, String> env;
    private final Path workDir;
    private final Map<String, LoadedModel> models = new HashMap<>();
    private final Map<Path, String> copiedVersions = new HashMap<>();
    private final Map<EngineChoice, Path> shippedModels = new java.util.EnumMap<>(EngineChoice.class);
    private S3Client s3;
    private SecureRandom random = new SecureRandom();
    private final long initMillis;
    private final String initSummary;

    ContainerState(Map<String, String> env) {
        long t0 = System.nanoTime();
        this.env = env;
        this.workDir = workDir(env);
        DjlSetup.offline();
        if (inLambda(env)) {
            // Lambda's only writable place is /tmp: engine natives and DJL's cache go there, never to $HOME.
            setIfAbsent("DJL_CACHE_DIR", workDir.resolve("djl").toString());
            setIfAbsent("ENGINE_CACHE_DIR", workDir.resolve("djl").toString());
        }
        StringBuilder summary = new StringBuilder();
        String preload = env.get("JFMI_MODEL");
        boolean shipped = SHIPPED.equals(preload);
        if (shipped || preload != null && !preload.isBlank() && !preload.startsWith("s3://")
                && Files.exists(Path.of(preload))) {
            try {
                EngineChoice engine = engineChoice(env.getOrDefault("JFMI_ENGINE", "auto"));
                RedshiftModel m = model(shipped ? shippedModel(engine) : Path.of(preload), engine, threads(env));
                summary.append("model ").append(m.description()).append(" on ").append(m.engine());
            } catch (IOException | RuntimeException e) {
                // Not fatal at init: the invocation that needs it reports the error to its caller.
                log.error("init: could not load JFMI_MODEL {}: {}", preload, e.getMessage());
                summary.append("JFMI_MODEL failed to load: ").append(e.getMessage());
            }
        } else {
            summary.append("no model preloaded (JFMI_MODEL is not 'shipped' or a local file)");
        }
        if (primeAtInit(env)) {
            int rounds = primeRounds(env);
            CollectivePrimer.prime(rounds);
            summary.append("; collectives primed (").append(rounds).append(" warm-up rounds)");
        }
        this.initSummary = summary.toString();
        Core.getGlobalContext().register(this);
        this.initMillis = (System.nanoTime() - t0) / 1_000_000;
        log.info("init: ready in {} ms ({}); work dir {}", initMillis, initSummary, workDir);
    }

    /**
     * Priming costs ~110 ms of Init and saved 16-90 ms of the first invocation (benchmarks/RESULTS.md): worth it
     * only when Init is paid once for many containers, as with SnapStart. JFMI_PRIME=1/0 decides otherwise.
     */
    static boolean primeAtInit(Map<String, String> env) {
        String p = env.get("JFMI_PRIME");
        if (p != null && !p.isBlank()) {
            return !"0".equals(p.trim());
        }
        return "snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"));
    }

    /**
     * JFMI_PRIME_ROUNDS, else 1,000 under SnapStart (the compiled code is in the snapshot, so the rounds cost
     * nothing per restore) and 0 otherwise (each round is paid in every cold start's Init).
     */
    static int primeRounds(Map<String, String> env) {
        String rounds = env.get("JFMI_PRIME_ROUNDS");
        if (rounds != null && !rounds.isBlank()) {
            try {
                int r = Integer.parseInt(rounds.trim());
                if (r >= 0) {
                    return r;
                }
            } catch (NumberFormatException ignored) {
                // named below
            }
            log.warn("init: JFMI_PRIME_ROUNDS '{}' is not a count >= 0; using 0", rounds);
            return 0;
        }
        return "snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE")) ? 1000 : 0;
    }

    static boolean inLambda(Map<String, String> env) {
        return env.get("AWS_LAMBDA_FUNCTION_NAME") != null;
    }

    /** JFMI_WORK_DIR, else /tmp inside Lambda, else a jfmi-lambda folder in the system temp dir. */
    static Path workDir(Map<String, String> env) {
        String dir = env.get("JFMI_WORK_DIR");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).toAbsolutePath();
        }
        return inLambda(env) ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir"), "jfmi-lambda");
    }

    public Path workDir() {
        return workDir;
    }

    public long initMillis() {
        return initMillis;
    }

    public String initSummary() {
        return initSummary;
    }

    Map<String, String> env() {
        return env;
    }

    /**
     * A model, loaded once per container per (path, engine, threads) and kept for later invocations while its files
     * are unchanged; a newer copy of the files (a re-uploaded model) is loaded in place of the old one.
     */
    public synchronized RedshiftModel model(Path path, EngineChoice engine, int threads) throws IOException {
        String key = path.toAbsolutePath().normalize() + "|" + engine + "|" + threads;
        String version = version(path);
        LoadedModel loaded = models.get(key);
        if (loaded != null && loaded.version().equals(version)) {
            return loaded.model();
        }
        RedshiftModel m = ModelLoader.open(path, engine, threads);
        if (loaded != null) {
            log.info("model files at {} changed: loaded them again", path);
            loaded.model().close();
        }
        models.put(key, new LoadedModel(m, version));
        return m;
    }

    private record LoadedModel(RedshiftModel model, String version) {
    }

    /** Sizes and modification times of a model file, or of the files in a model folder. */
    private static String version(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return Files.exists(path) ? Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis() : "";
        }
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(path)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(f.getFileName()).append(':').append(Files.size(f)).append('@')
                        .append(Files.getLastModifiedTime(f).toMillis()).append(';');
            }
        }
        return sb.toString();
    }

    /** The model shipped in the artifact, unpacked once into the work dir, in the form {@code engine} runs. */
    synchronized Path shippedModel(EngineChoice engine) throws IOException {
        Path p = shippedModels.get(engine);
        if (p == null || !Files.exists(p)) {
            p = ShippedModel.extractFor(engine, workDir.resolve("shipped-model").resolve(
                    engine == EngineChoice.pytorch ? "block" : "onnx"));
            shippedModels.put(engine, p);
        }
        return p;
    }

    /** How many models this container holds (for tests and the summary). */
    public synchronized int modelsLoaded() {
        return models.size();
    }

    /**
     * The store behind an event's bucket: a local folder when it starts with '/' or file:, else an S3 bucket
     * (an {@code s3://} prefix is allowed) reached with the container's client.
     */
    public synchronized Storage storage(String bucket) {
        if (bucket.startsWith("/") || bucket.startsWith("file:")) {
            return new LocalStorage(Path.of(bucket.startsWith("file:") ? java.net.URI.create(bucket).getPath()
                    : bucket));
        }
        String name = bucket.startsWith("s3://") ? bucket.substring(5) : bucket;
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (s3 == null) {
            s3 = S3Clients.create(S3Settings.fromEnvironment(env));
        }
        return new S3Storage(s3, name);
    }

    /** The version tag of the object last copied to {@code local}, so an unchanged object is not copied again. */
    synchronized String copiedVersion(Path local) {
        return copiedVersions.get(local);
    }

    synchronized void recordCopy(Path local, String version) {
        copiedVersions.put(local, version);
    }

    synchronized SecureRandom random() {
        return random;
    }

    synchronized boolean hasS3Client() {
        return s3 != null;
    }

    /** SnapStart: no connection may live in the snapshot. */
    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
        log.info("snapshot: S3 client closed; {} model(s) kept", models.size());
    }

    /** SnapStart: every restored copy of the snapshot must draw its own random numbers and start clean. */
    @Override
    public synchronized void afterRestore(Context<? extends Resource> context) {
        random = new SecureRandom();
        copiedVersions.clear(); // /tmp of a restored container is not the one that was snapshotted
        log.info("restore: randomness re-seeded, copy cache cleared");
    }

    static EngineChoice engineChoice(String name) {
        try {
            return EngineChoice.valueOf(name.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PayloadException("engine must be auto, pytorch or onnxruntime, got \"" + name + "\"");
        }
    }

    private static int threads(Map<String, String> env) {
        String t = env.get("JFMI_THREADS");
        return t == null || t.isBlank() ? 0 : Integer.parseInt(t.trim());
    }

    /** Sets a system property DJL reads unless the property or the environment variable of that name is set. */
    private void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null && env.get(property) == null) {
            System.setProperty(property, value);
        }
    }
}
