package io.jfmi.worker.cli;

import io.jfmi.core.Communicator;
import io.jfmi.core.FmiException;
import io.jfmi.worker.demo.PiDemo;
import io.jfmi.worker.demo.Soak;
import io.jfmi.worker.inference.DjlSetup;
import io.jfmi.worker.inference.EngineChoice;
import io.jfmi.worker.job.InferenceInputs;
import io.jfmi.worker.job.InferenceTask;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One rank of a job. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Join a job as one rank and run a task on it (default: redshift inference on this rank's "
                + "share of --data).")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions job;

    @Option(names = "--task", description = "What the job computes: ${COMPLETION-CANDIDATES} (default: "
            + "${DEFAULT-VALUE}).")
    Task task = Task.infer;

    @Option(names = "--data", paramLabel = "PATH", description = "infer: dataset, a .npz or .safetensors file or a "
            + "folder of shards with manifest.json; this rank reads only its share.")
    Path data;

    @Option(names = "--model", paramLabel = "PATH", description = "infer: a jfmi model folder, a TorchScript .pt or "
            + "an .onnx file (default: the small ViT_Astro shipped in worker.jar).")
    Path model;

    @Option(names = "--engine", description = "infer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: by "
            + "model type).")
    EngineChoice engine = EngineChoice.auto;

    @Option(names = "--batch-size", description = "infer: samples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 256;

    @Option(names = "--threads", description = "infer: intra-op threads of the engine; 0 = engine default "
            + "(default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(names = "--out", paramLabel = "DIR", description = "infer: where rank 0 writes the results "
            + "(default: ${DEFAULT-VALUE}).")
    Path out = Path.of("results");

    @Option(names = "--memory-size", paramLabel = "MB", description = "infer: memory size shown in the REPORT "
            + "line, as a Lambda function's setting (default: ${DEFAULT-VALUE}).")
    long memorySizeMb = 2048;

    @Option(names = "--samples", description = "pi: samples per rank (default: ${DEFAULT-VALUE}).")
    long samples = 20_000_000;

    @Option(names = "--seconds", description = "soak: how long it runs (default: ${DEFAULT-VALUE}).")
    double seconds = 10;

    @Option(names = "--soak-bytes", paramLabel = "BYTES", description = "soak: size of each round's verified "
            + "allreduce, a multiple of 8 (default: ${DEFAULT-VALUE}).")
    int soakBytes = 2048;

    /** infer (batch inference, combined with collectives), pi (estimate pi), soak (verified allreduce loop). */
    enum Task {
        infer, pi, soak
    }

    @Override
    public Integer call() throws Exception {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        if (soakBytes < 8 || soakBytes % 8 != 0 || soakBytes > (256 << 20)) {
            throw new IllegalArgumentException("--soak-bytes must be a multiple of 8 in 8..256 MiB, got " + soakBytes);
        }
        InferenceTask.Settings settings = null;
        if (task == Task.infer) {
            if (data == null) {
                throw new IllegalArgumentException("--data is required for the infer task (a .npz file or a shard "
                        + "folder; `worker.jar generate` makes one)");
            }
            if (threads < 0) {
                throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
            }
            settings = new InferenceTask.Settings(data, model, engine, batchSize, out, threads, memorySizeMb);
            DjlSetup.offline();
        }
        // The model and the data share load while this rank joins and waits for the others.
        try (InferenceInputs inputs = settings == null ? null
                : InferenceInputs.startLoading(settings, job.rank, job.worldSize);
                Communicator comm = Communicator.connect(job.toCommunicatorOptions())) {
            return switch (task) {
                case infer -> InferenceTask.run(comm, settings, inputs, System.out);
                case pi -> PiDemo.run(comm, samples, System.out);
                case soak -> Soak.run(comm, seconds, soakBytes / 8, System.out);
            };
        } catch (FmiException e) {
            System.err.println("rank " + job.rank + " of job '" + job.job + "' failed: " + e.getMessage());
            return ExitCodes.JOB_FAILED;
        }
    }
}
