package io.jfmi.worker.orchestrate;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jfmi.worker.WorkerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Each invocation in a JVM of its own, as a Lambda container: {@code worker.jar invoke} with the event exactly as
 * the state machine built it, a work dir of its own, and the function timeout. Output lines are relayed with the
 * invocation's label.
 */
public final class ChildJvmInvoker implements FunctionInvoker {
    private final Path work;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final long timeoutSeconds;
    private final PrintStream log;

    /**
     * @param work           folder for events, responses and each invocation's container dir
     * @param env            environment added to each invocation's (JFMI_SECRET, S3 settings)
     * @param jvmOptions     options for each JVM
     * @param timeoutSeconds the function timeout
     */
    public ChildJvmInvoker(Path work, Map<String, String> env, List<String> jvmOptions, long timeoutSeconds,
            PrintStream log) {
        this.work = work;
        this.env = env;
        this.jvmOptions = jvmOptions;
        this.timeoutSeconds = timeoutSeconds;
        this.log = log;
    }

    @Override
    public JsonElement invoke(String functionName, JsonElement payload, String label) throws Exception {
        String file = label.replaceAll("[^A-Za-z0-9._-]", "_");
        Path event = work.resolve("events").resolve(file + ".json");
        Path response = work.resolve("responses").resolve(file + ".json");
        Files.createDirectories(event.getParent());
        Files.createDirectories(response.getParent());
        Files.writeString(event, payload.toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), "invoke",
                "--event", event.toString(), "--timeout", Long.toString(timeoutSeconds), "--response",
                response.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("JFMI_WORK_DIR", work.resolve("containers").resolve(file).toString());
        log.printf("%s: invoking %s in a new JVM%n", label, functionName);
        Process p = pb.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    log.println("  [" + label + "] " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        pump.setDaemon(true);
        pump.start();
        // the function timeout, plus time for the JVM to start and report
        if (!p.waitFor(timeoutSeconds + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new OrchestrationException(label + ": the invocation did not end within its timeout of "
                    + timeoutSeconds + " s");
        }
        pump.join(2000);
        if (!Files.isRegularFile(response)) {
            throw new OrchestrationException(label + ": the invocation exited " + p.exitValue() + " with no response");
        }
        JsonElement body = JsonParser.parseString(Files.readString(response));
        if (p.exitValue() != 0) {
            String message = body instanceof JsonObject o && o.has("errorMessage") ? o.get("errorMessage")
                    .getAsString() : body.toString();
            throw new OrchestrationException(label + ": function error: " + message);
        }
        return body;
    }
}
