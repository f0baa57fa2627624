package io.jfmi.worker.cli;

import com.google.gson.JsonObject;
import io.jfmi.worker.job.AtomicFiles;
import io.jfmi.worker.json.JsonCodec;
import io.jfmi.worker.orchestrate.StateMachineDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the Step Functions definition that runs one jfmi job on Lambda. */
@Command(name = "stepfunction", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the Amazon States Language definition of a jfmi job on Lambda: Initialize (payload, "
                + "ranks, job id = execution name), a Map invoking --function once per rank with every rank running "
                + "at once, Summarize (rank 0's summary). Start executions with the study's payload as input.",
            "The job secret is not in the definition: give it to the function as JFMI_SECRET. docs/lambda.md "
                + "explains the choices (inline or Distributed Map, retries).",
            "Exit codes: 0 written, 64 bad arguments (e.g. a world size no Map can run at once)."})
public final class StepFunctionCommand implements Callable<Integer> {
    /** The study's inference payload, used when no --payload is given. */
    static final List<String> INFERENCE_KEYS = List.of("bucket", "object_type", "S3_object_name", "data_path",
            "script", "batch_size");

    @Option(names = "--world-size", required = true, description = "Ranks in the job (= Lambda invocations at once).")
    int worldSize;

    @Option(names = "--function", required = true, paramLabel = "ARN", description = "The function (or alias) ARN.")
    String function;

    @Option(names = "--payload", paramLabel = "FILE", description = "A payload of the shape executions will get "
            + "(inference, partition or executor): its keys are copied into every rank's event (default: the "
            + "inference payload's keys).")
    Path payload;

    @Option(names = "--bucket", description = "Bucket every rank uses, instead of the payload's.")
    String bucket;

    @Option(names = "--result-path", paramLabel = "PREFIX", description = "Result prefix, instead of the payload's.")
    String resultPath;

    @Option(names = "--rendezvous", paramLabel = "HOST:PORT", description = "The rendezvous server (default: the "
            + "execution input's 'rendezvous' key).")
    String rendezvous;

    @Option(names = "--map", description = "${COMPLETION-CANDIDATES}: inline runs up to 40 ranks at once, "
            + "distributed up to 10,000 (default: ${DEFAULT-VALUE}, inline when it fits).")
    StateMachineDefinition.MapMode map = StateMachineDefinition.MapMode.auto;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The definition file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!function.startsWith("arn:")) {
            throw new IllegalArgumentException("--function must be an ARN (arn:aws:lambda:REGION:ACCOUNT:function:"
                    + "NAME), got '" + function + "'");
        }
        List<String> keys = INFERENCE_KEYS;
        if (payload != null) {
            keys = new ArrayList<>(JsonFiles.readObject(payload, "--payload").keySet());
        }
        JsonObject definition = StateMachineDefinition.build(new StateMachineDefinition.Settings(worldSize, function,
                keys, rendezvous, bucket, resultPath, map));
        AtomicFiles.writeString(out, JsonCodec.write(definition));
        System.out.printf("wrote %s: %d ranks, %s Map, function %s%n", out, worldSize,
                StateMachineDefinition.resolve(worldSize, map), function);
        return 0;
    }
}
