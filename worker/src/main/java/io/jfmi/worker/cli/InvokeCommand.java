package io.jfmi.worker.cli;

import com.google.gson.JsonObject;
import io.jfmi.worker.job.AtomicFiles;
import io.jfmi.worker.lambda.InferenceHandler;
import io.jfmi.worker.lambda.LocalContext;
import io.jfmi.worker.lambda.PayloadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the Lambda handler once in this JVM, with an event file, as Lambda would invoke it. */
@Command(name = "invoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Invoke the Lambda handler (io.jfmi.worker.lambda.InferenceHandler) once in this JVM with an "
                + "event, as Lambda would: Init, then one invocation with a function timeout. The response (the "
                + "handler's JSON summary, or Lambda's errorMessage/errorType on failure) goes to standard output; "
                + "progress and logs go to standard error.",
            "jfmi's settings come from the event or from JFMI_* environment variables; S3 from JFMI_S3_ENDPOINT, "
                + "AWS_REGION and the usual AWS credentials (docs/lambda.md lists them all).",
            "Exit codes: 0 success, 2 the job failed, 64 a bad event or argument."})
public final class InvokeCommand implements Callable<Integer> {
    @Option(names = "--event", required = true, paramLabel = "FILE", description = "Event JSON file ('-' for "
            + "standard input).")
    Path event;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "The function timeout the invocation runs "
            + "under (default: ${DEFAULT-VALUE}, Lambda's maximum).")
    long timeoutSeconds = 900;

    @Option(names = "--memory-size", paramLabel = "MB", description = "Memory size the context reports "
            + "(default: ${DEFAULT-VALUE}).")
    int memoryMb = 10240;

    @Option(names = "--response", paramLabel = "FILE", description = "Also write the response to this file.")
    Path response;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new IllegalArgumentException("--timeout must be 1..900 seconds (Lambda's range), got "
                    + timeoutSeconds);
        }
        JsonObject ev = JsonFiles.readObject(event, "--event");
        InferenceHandler handler = InferenceHandler.forEnvironment(System.getenv(), System.err);
        String out;
        int code;
        try {
            out = InferenceHandler.toJson(handler.handle(ev, new LocalContext(timeoutSeconds * 1000, memoryMb)));
            code = 0;
        } catch (PayloadException e) {
            out = error(e);
            code = Cli.BAD_ARGUMENTS;
        } catch (IOException | RuntimeException e) {
            out = error(e);
            code = 2;
        }
        System.out.println(out);
        if (response != null) {
            AtomicFiles.writeString(response, out + "\n");
        }
        if (code != 0) {
            System.err.println("invocation failed: " + out);
        }
        return code;
    }

    /** The body Lambda returns for a function error. */
    private static String error(Exception e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errorMessage", e.getMessage());
        m.put("errorType", e.getClass().getName());
        return InferenceHandler.toJson(m);
    }
}
