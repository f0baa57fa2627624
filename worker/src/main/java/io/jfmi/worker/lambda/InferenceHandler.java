package io.jfmi.worker.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.google.gson.JsonObject;
import io.jfmi.worker.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda entry point: {@code io.jfmi.worker.lambda.InferenceHandler::handleRequest}. Takes the study's
 * payloads as they are (inference, partition, or the executor's upper-case event; see {@link EventParser}), joins
 * the job as the event's rank, runs inference on its share, combines with collectives and writes the results to
 * the bucket; returns a JSON summary. A bad event is an error naming the key, raised before anything joins a job.
 *
 * <p>Everything expensive and network-free (engine, the model named by JFMI_MODEL, the collectives' code) is
 * prepared once per container, in the constructor, which Lambda runs during Init.
 */
public final class InferenceHandler implements RequestStreamHandler {
    private static final Logger log = LoggerFactory.getLogger(InferenceHandler.class);
    /** Default safety margin before the function timeout; JFMI_DEADLINE_MARGIN_SECONDS overrides it. */
    static final long DEFAULT_MARGIN_SECONDS = 10;

    private static ContainerState shared;
    private final ContainerState state;
    private final PrintStream progress;

    /** Lambda's constructor: one container state per JVM, made at Init. */
    public InferenceHandler() {
        this(sharedState(), System.out);
    }

    InferenceHandler(ContainerState state, PrintStream progress) {
        this.state = state;
        this.progress = progress;
    }

    private static synchronized ContainerState sharedState() {
        if (shared == null) {
            shared = new ContainerState(System.getenv());
        }
        return shared;
    }

    /** For tests and the cold-start benchmark: a container built from the given environment. */
    public static InferenceHandler forEnvironment(Map<String, String> env, PrintStream progress) {
        return new InferenceHandler(new ContainerState(env), progress);
    }

    public ContainerState state() {
        return state;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> summary = handle(readEvent(input), context);
        output.write(JsonCodec.GSON.toJson(summary).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs one event; throws (and so fails the invocation) with a message naming the problem. */
    public Map<String, Object> handle(JsonObject event, Context context) throws IOException {
        String requestId = context != null && context.getAwsRequestId() != null ? context.getAwsRequestId()
                : "local";
        StudyEvent ev = EventParser.parse(event, state.env(), "lambda-" + requestId.replaceAll("[^A-Za-z0-9._:-]", ""));
        long margin = marginMillis();
        InvocationDeadline deadline = new InvocationDeadline(
                context != null ? () -> context.getRemainingTimeInMillis() : () -> Long.MAX_VALUE / 4, margin);
        log.info("request {}: {} payload, rank {} of {}, job '{}', bucket {}", requestId,
                ev.shape().name().toLowerCase(java.util.Locale.ROOT), ev.rank(), ev.worldSize(), ev.jfmi().jobId(),
                ev.bucket());
        return new LambdaJob(state, ev, deadline, progress, context != null ? context.getMemoryLimitInMB() : 0).run();
    }

    private long marginMillis() {
        String m = state.env().get("JFMI_DEADLINE_MARGIN_SECONDS");
        try {
            return (m == null || m.isBlank() ? DEFAULT_MARGIN_SECONDS : Long.parseLong(m.trim())) * 1000;
        } catch (NumberFormatException e) {
            throw new PayloadException("JFMI_DEADLINE_MARGIN_SECONDS must be a whole number of seconds, got " + m);
        }
    }

    /** The event as a JSON object; a body that is not one is an error saying what it was. */
    public static JsonObject readEvent(InputStream input) throws IOException {
        try {
            return JsonCodec.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8), "the event");
        } catch (IllegalArgumentException e) {
            throw new PayloadException(e.getMessage()); // a bad event is the caller's error, named as such
        }
    }

    public static String toJson(Object summary) {
        return JsonCodec.GSON.toJson(summary);
    }
}
