package io.jfmi.worker.orchestrate;

import com.google.gson.JsonElement;

/** Runs one Lambda invocation for the local orchestrator: the function's response, or an exception with its error. */
@FunctionalInterface
public interface FunctionInvoker {
    /**
     * @param functionName the Task's FunctionName
     * @param payload      the event, exactly as Step Functions would pass it
     * @param label        a readable name for logs and files, e.g. {@code Ranks[2].InvokeRank}
     */
    JsonElement invoke(String functionName, JsonElement payload, String label) throws Exception;
}
