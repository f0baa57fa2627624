package io.jfmi.worker.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jfmi.protocol.SecretFile;
import io.jfmi.worker.job.AtomicFiles;
import io.jfmi.worker.json.JsonCodec;
import io.jfmi.worker.launch.LocalServer;
import io.jfmi.worker.orchestrate.ChildJvmInvoker;
import io.jfmi.worker.orchestrate.OrchestrationException;
import io.jfmi.worker.orchestrate.StateMachineRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a Step Functions definition locally, each Lambda invocation in a JVM of its own. */
@Command(name = "orchestrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Execute a state machine definition (as `stepfunction` writes) locally with a payload as the "
                + "execution input: each Lambda invoke runs `worker.jar invoke` in a new JVM with the event exactly "
                + "as Step Functions would pass it. Starts a rendezvous server when the input names none. Prints each "
                + "state's transitions and the final output.",
            "S3 settings come from the environment (JFMI_S3_ENDPOINT, AWS credentials), as for `invoke`.",
            "Exit codes: 0 the execution succeeded, 2 it failed (the message names the state), 64 bad arguments or a "
                + "definition with states or fields this runner does not support."})
public final class OrchestrateCommand implements Callable<Integer> {
    @Option(names = "--definition", required = true, paramLabel = "FILE", description = "The state machine (ASL).")
    Path definition;

    @Option(names = "--payload", required = true, paramLabel = "FILE", description = "The execution input.")
    Path payload;

    @Option(names = "--bucket", description = "Bucket to use instead of the payload's (an S3 bucket name, or "
            + "s3://NAME).")
    String bucket;

    @Option(names = "--root", paramLabel = "DIR", description = "A local folder standing in for the bucket.")
    Path root;

    @Option(names = "--name", description = "Execution name, which is also the job id (default: jfmi-local-TIME).")
    String name;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Function timeout of each invocation "
            + "(default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 900;

    @Option(names = "--work", paramLabel = "DIR", description = "Events, responses and containers' work dirs "
            + "(default: orchestrate/NAME).")
    Path work;

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "JVM option for each invocation (repeatable; "
            + "default: -Xmx1g).")
    List<String> jvmOpts = new ArrayList<>(List.of("-Xmx1g"));

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the execution's output here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (bucket != null && root != null) {
            throw new IllegalArgumentException("give --bucket or --root, not both");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new IllegalArgumentException("--timeout must be 1..900 seconds, got " + timeoutSeconds);
        }
        JsonObject machine = JsonFiles.readObject(definition, "--definition");
        JsonObject input = JsonFiles.readObject(payload, "--payload");
        if (bucket != null || root != null) {
            overrideBucket(input, root != null ? root.toAbsolutePath().toString() : bucket);
        }
        String execution = name != null ? name : "jfmi-local-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = (work != null ? work : Path.of("orchestrate", execution)).toAbsolutePath();
        Map<String, String> env = new HashMap<>();
        LocalServer server = null;
        try {
            if (!input.has("rendezvous")) {
                server = LocalServer.start();
                input.addProperty("rendezvous", server.address());
                env.put("JFMI_SECRET", new String(SecretFile.read(server.secretFile()).secretFor(execution)
                        .orElseThrow(), StandardCharsets.UTF_8));
                System.out.println("started a rendezvous server at " + server.address());
            }
            StateMachineRunner runner = new StateMachineRunner(new ChildJvmInvoker(dir, env, jvmOpts, timeoutSeconds,
                    System.out), System.out);
            JsonElement output;
            try {
                output = runner.run(machine, input, execution);
            } catch (OrchestrationException e) {
                System.out.println("execution " + execution + " failed: " + e.getMessage());
                return ExitCodes.JOB_FAILED;
            }
            String text = JsonCodec.GSON.toJson(output);
            System.out.println("execution " + execution + " succeeded; output:");
            System.out.println(text);
            if (out != null) {
                AtomicFiles.writeString(out, text + "\n");
            }
            return 0;
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** The study's bucket keys, and a data bucket that was the same bucket, point at the given one instead. */
    private static void overrideBucket(JsonObject input, String value) {
        String old = input.has("bucket") ? input.get("bucket").getAsString()
                : input.has("S3_BUCKET") ? input.get("S3_BUCKET").getAsString() : null;
        for (String key : new String[] {"bucket", "S3_BUCKET"}) {
            if (input.has(key)) {
                input.addProperty(key, value);
            }
        }
        if (input.has("data_bucket") && input.get("data_bucket").getAsString().equals(old)) {
            input.addProperty("data_bucket", value);
        }
    }
}
