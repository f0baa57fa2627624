package io.jfmi.worker.cli;

import ai.djl.util.Utils;
import io.jfmi.worker.WorkerMain;
import io.jfmi.worker.data.GalaxyGenerator;
import io.jfmi.worker.inference.DjlSetup;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.inference.OrtNatives;
import io.jfmi.worker.inference.ShippedModel;
import io.jfmi.worker.job.ResultFiles;
import io.jfmi.worker.launch.ClassDataArchive;
import io.jfmi.worker.launch.LocalServer;
import io.jfmi.worker.launch.RankProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A whole job on this machine: a rendezvous server plus one JVM per rank. */
@Command(name = "launch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start a local job: a rendezvous server in this process and one worker JVM per rank; print "
                + "each rank's output and a summary. Exits non-zero when any rank fails.",
            "The default task is redshift inference: with no --data it generates --samples synthetic galaxies, with "
                + "no --model it uses the small ViT_Astro shipped in worker.jar (its ONNX form on ONNX Runtime; the "
                + "DJL Block form with --engine pytorch); results go to --out."})
public final class LaunchCommand implements Callable<Integer> {
    @Option(names = "--world-size", description = "Number of rank JVMs (default: ${DEFAULT-VALUE}).")
    int worldSize = 4;

    @Option(names = "--task", description = "Task each rank runs: infer, pi or soak (default: ${DEFAULT-VALUE}).")
    String task = "infer";

    @Option(names = "--data", paramLabel = "PATH", description = "infer: dataset (.npz or .safetensors file, or "
            + "shard folder); default: generate one into OUT/data/.")
    Path data;

    @Option(names = "--samples", description = "infer: galaxies to generate when no --data is given (default "
            + "10000); pi: samples per rank (default 20000000).")
    Long samples;

    @Option(names = "--seed", description = "infer: seed of the generated dataset (default: ${DEFAULT-VALUE}).")
    long seed = 7;

    @Option(names = "--model", paramLabel = "PATH", description = "infer: jfmi model folder, TorchScript .pt or "
            + ".onnx (default: the shipped small ViT_Astro, as ONNX unless --engine pytorch).")
    Path model;

    @Option(names = "--engine", description = "infer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    EngineChoice engine = EngineChoice.auto;

    @Option(names = "--batch-size", description = "infer: samples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 256;

    @Option(names = "--threads", description = "infer: engine threads per rank (default: cores / world size, at "
            + "least 1).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "infer: results folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("results");

    @Option(names = "--memory-size", paramLabel = "MB", description = "infer: Lambda memory size shown in REPORT "
            + "lines (default: ${DEFAULT-VALUE}).")
    long memorySizeMb = 2048;

    @Option(names = "--job", description = "Job id (default: local-<time>).")
    String jobId;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Per-call deadline inside the ranks (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 120;

    @Option(names = "--deadline", paramLabel = "SECONDS",
            description = "The whole job must finish within this, else every rank is killed (default: "
                    + "${DEFAULT-VALUE}).")
    long deadlineSeconds = 1800;

    @Option(names = "--force-relay", description = "Relay every pair through the server.")
    boolean forceRelay;

    @Option(names = "--tls", description = "Run the job's rendezvous server with TLS (a self-signed certificate issued "
            + "for this job, trusted by its ranks).")
    boolean tls;

    @Option(names = "--seal-links", description = "Ranks encrypt and authenticate their direct-link frames "
            + "(AES-128-GCM).")
    boolean sealLinks;

    @Option(names = "--heal-links", paramLabel = "WHICH", description = "Which direct links heal (off, punched, all); "
            + "a local job's links are loopback, so only all makes them keep copies (default: punched).")
    String healLinks;

    @Option(names = "--second-connection", paramLabel = "MODE", description = "Whether the ranks' links open a "
            + "second connection for large messages: auto (while ranks do not outnumber cores), on or off (see run "
            + "--help; default: auto).")
    String secondConnection;

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "JVM option for every rank (repeatable; "
            + "default: -Xmx1g -XX:TieredStopAtLevel=1; giving any replaces both).")
    List<String> jvmOpts = new ArrayList<>(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"));

    /** --jvm-opt plus what this launch adds (where the unpacked natives are). */
    private final List<String> rankJvmOpts = new ArrayList<>();

    /** Rejects a bad choice before any data is generated or process started. */
    private static void checkChoice(String option, String value, String... choices) {
        if (value != null && !List.of(choices).contains(value.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException(option + " must be " + String.join(", ", List.of(choices)
                    .subList(0, choices.length - 1)) + " or " + choices[choices.length - 1] + ", got '" + value + "'");
        }
    }

    @Override
    public Integer call() throws Exception {
        if (worldSize < 1 || worldSize > 256) {
            throw new IllegalArgumentException("--world-size must be 1..256 for a local job, got " + worldSize);
        }
        checkChoice("--heal-links", healLinks, "off", "punched", "all");
        checkChoice("--second-connection", secondConnection, "auto", "on", "off");
        String id = jobId != null ? jobId : "local-" + System.currentTimeMillis();
        rankJvmOpts.addAll(jvmOpts);
        ClassDataArchive.runningJar().flatMap(ClassDataArchive::usableFor).ifPresent(archive -> {
            if (jvmOpts.stream().noneMatch(o -> o.contains("SharedArchiveFile") || o.contains("ArchiveClasses"))) {
                rankJvmOpts.add("-XX:SharedArchiveFile=" + archive);
            }
        });
        List<String> args = switch (task) {
            case "infer" -> inferArgs();
            case "pi" -> new ArrayList<>(List.of("run", "--task", "pi", "--samples",
                    Long.toString(samples != null ? samples : 20_000_000L)));
            case "soak" -> new ArrayList<>(List.of("run", "--task", "soak"));
            default -> throw new IllegalArgumentException("--task must be infer, pi or soak, got '" + task + "'");
        };
        args.addAll(List.of("--timeout", Long.toString(timeoutSeconds)));
        if (forceRelay) {
            args.add("--force-relay");
        }
        if (sealLinks) {
            args.add("--seal-links");
        }
        if (healLinks != null) {
            args.addAll(List.of("--heal-links", healLinks));
        }
        if (secondConnection != null) {
            args.addAll(List.of("--second-connection", secondConnection));
        }
        try (LocalServer server = LocalServer.start(tls)) {
            if (tls) {
                args.addAll(List.of("--tls-trust", server.trustFile().toString()));
            }
            System.out.printf("jfmi launch: job '%s', %d ranks, task %s, rendezvous %s%s%s%s%n", id, worldSize, task,
                    server.address(), tls ? " (TLS)" : "", forceRelay ? ", all pairs relayed" : "",
                    sealLinks ? ", direct links sealed" : "");
            RankProcesses.Spec spec = new RankProcesses.Spec(worldSize, rankJvmOpts, WorkerMain.class.getName(), args,
                    server.address(), id, server.secretFile(), Duration.ofSeconds(deadlineSeconds),
                    Duration.ofSeconds(timeoutSeconds + 10));
            RankProcesses.Outcome outcome = RankProcesses.run(spec, RankProcesses.printer(System.out));
            System.out.printf("jfmi launch: job '%s' %s in %.1f s; exit codes %s; relayed %,d bytes%n", id,
                    outcome.succeeded() ? "succeeded" : outcome.timedOut() ? "TIMED OUT" : "FAILED",
                    outcome.wallMillis() / 1000.0, outcome.exitCodes(), server.server().metrics().relayedBytes());
            if (!outcome.succeeded() && outcome.firstFailedRank() >= 0) {
                System.out.printf("jfmi launch: rank %d failed first (see its lines above)%n",
                        outcome.firstFailedRank());
            }
            if (outcome.succeeded() && task.equals("infer")) {
                System.out.printf("jfmi launch: results in %s: %s, %s, %s, redshift.png, throughput.png%n", out,
                        ResultFiles.METRICS, ResultFiles.PREDICTIONS, ResultFiles.EXECUTION_INFO);
            }
            return outcome.succeeded() ? ExitCodes.OK : ExitCodes.JOB_FAILED;
        }
    }

    /** Prepares data, model and natives once, then returns the arguments every rank gets. */
    private List<String> inferArgs() throws Exception {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (threads != null && threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
        }
        if (model != null && !Files.exists(model)) {
            throw new IllegalArgumentException("--model " + model + ": no such file or folder");
        }
        Files.createDirectories(out);
        Path dataPath = data;
        if (dataPath == null) {
            long n = samples != null ? samples : 10_000L;
            if (n < 1 || n > 1_000_000) {
                throw new IllegalArgumentException("--samples must be 1..1000000 to generate a dataset, got " + n);
            }
            dataPath = out.resolve("data").resolve("galaxies-" + n + "-seed" + seed + ".npz");
            long t0 = System.nanoTime();
            GalaxyGenerator.generate((int) n, seed).save(dataPath);
            System.out.printf(Locale.ROOT, "jfmi launch: generated %,d galaxies (seed %d) into %s in %.1f s%n", n,
                    seed, dataPath, (System.nanoTime() - t0) / 1e9);
        } else if (!Files.exists(dataPath)) {
            throw new IllegalArgumentException("--data " + dataPath + ": no such file or folder");
        }
        Path modelPath = model;
        if (modelPath == null) {
            // ONNX on ONNX Runtime unless --engine pytorch: the faster engine here, and no libtorch to unpack
            modelPath = ShippedModel.extractFor(engine, out.resolve("model"));
        }
        if (modelPath.toString().endsWith(".onnx") || engine == EngineChoice.onnxruntime) {
            // Unpacked once here instead of by every rank JVM at its start
            OrtNatives.unpack(Utils.getCacheDir()).ifPresent(dir -> rankJvmOpts.add("-D" + OrtNatives.PROPERTY + "="
                    + dir));
        }
        if (engine != EngineChoice.onnxruntime && !modelPath.toString().endsWith(".onnx")) {
            long t0 = System.nanoTime();
            String name = DjlSetup.warm("PyTorch");
            System.out.printf(Locale.ROOT, "jfmi launch: %s natives ready in %.1f s (unpacked once for all ranks)%n",
                    name, (System.nanoTime() - t0) / 1e9);
        }
        int perRank = threads != null ? threads
                : Math.max(1, Runtime.getRuntime().availableProcessors() / worldSize);
        return new ArrayList<>(List.of("run", "--task", "infer", "--data", dataPath.toString(), "--model",
                modelPath.toString(), "--engine", engine.name(), "--batch-size", Integer.toString(batchSize),
                "--threads", Integer.toString(perRank), "--out", out.toString(), "--memory-size",
                Long.toString(memorySizeMb)));
    }
}
