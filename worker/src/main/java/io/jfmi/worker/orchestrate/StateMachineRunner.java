package io.jfmi.worker.orchestrate;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Executes an Amazon States Language definition locally: the states and fields jfmi's generated definitions use
 * (Pass, Task with the Lambda invoke resource, Map inline or distributed, Succeed, Fail; InputPath, Parameters,
 * ItemSelector, ItemsPath, MaxConcurrency, ResultPath, OutputPath, Next/End). Any other state type or field is an
 * error naming the state, never skipped. Retry is accepted and has nothing to retry locally: a local invocation
 * has no Lambda service errors.
 */
public final class StateMachineRunner {
    private static final Set<String> COMMON = Set.of("Type", "Comment", "Next", "End", "InputPath", "OutputPath");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Pass", Set.of("Parameters", "Result", "ResultPath"),
            "Task", Set.of("Resource", "Parameters", "ResultPath", "Retry", "TimeoutSeconds"),
            "Map", Set.of("ItemsPath", "ItemSelector", "Parameters", "ItemProcessor", "Iterator", "MaxConcurrency",
                    "ResultPath", "Label", "ToleratedFailurePercentage"),
            "Succeed", Set.of(),
            "Fail", Set.of("Error", "Cause"));
    private static final int MAX_STATES = 10_000;

    private final FunctionInvoker invoker;
    private final PrintStream log;

    public StateMachineRunner(FunctionInvoker invoker, PrintStream log) {
        this.invoker = invoker;
        this.log = log;
    }

    /** Runs the definition on {@code input} as execution {@code executionName}; returns the final output. */
    public JsonElement run(JsonObject definition, JsonElement input, String executionName) {
        JsonObject context = new JsonObject();
        JsonObject execution = new JsonObject();
        execution.addProperty("Name", executionName);
        execution.add("Input", input.deepCopy());
        context.add("Execution", execution);
        return runMachine(definition, input, context, "");
    }

    private JsonElement runMachine(JsonObject machine, JsonElement input, JsonObject context, String prefix) {
        JsonObject states = object(machine, "States", prefix + "(machine)");
        String name = string(machine, "StartAt", prefix + "(machine)");
        JsonElement data = input;
        for (int steps = 0; steps < MAX_STATES; steps++) {
            String where = prefix + name;
            if (!states.has(name) || !states.get(name).isJsonObject()) {
                throw new OrchestrationException(where + ": no such state");
            }
            JsonObject s = states.getAsJsonObject(name);
            String type = string(s, "Type", where);
            checkFields(where, type, s);
            log.printf("%s (%s): entered%n", where, type);
            JsonElement in = s.has("InputPath") ? JsonPaths.read(s.get("InputPath").getAsString(), data, context,
                    where + ".InputPath") : data;
            JsonElement out = switch (type) {
                case "Pass" -> JsonPaths.placeResult(in, s.has("Parameters") ? JsonPaths.fill(s.get("Parameters"), in,
                        context, where + ".Parameters") : s.has("Result") ? s.get("Result").deepCopy() : in,
                        s.get("ResultPath"), where);
                case "Task" -> JsonPaths.placeResult(in, task(where, s, in, context), s.get("ResultPath"), where);
                case "Map" -> JsonPaths.placeResult(in, map(where, s, in, context), s.get("ResultPath"), where);
                case "Succeed" -> in;
                case "Fail" -> throw new OrchestrationException(where + ": Fail state: " + (s.has("Error")
                        ? s.get("Error").getAsString() : "") + (s.has("Cause") ? " " + s.get("Cause").getAsString()
                        : ""));
                default -> throw new OrchestrationException(where + ": state type " + type + " is not supported");
            };
            if (s.has("OutputPath")) {
                out = JsonPaths.read(s.get("OutputPath").getAsString(), out, context, where + ".OutputPath");
            }
            log.printf("%s (%s): exited%n", where, type);
            data = out;
            if (type.equals("Succeed") || s.has("End") && s.get("End").getAsBoolean()) {
                return data;
            }
            name = string(s, "Next", where);
        }
        throw new OrchestrationException(prefix + "(machine): more than " + MAX_STATES + " transitions (a loop?)");
    }

    private JsonElement task(String where, JsonObject s, JsonElement in, JsonObject context) {
        String resource = string(s, "Resource", where);
        if (!resource.equals(StateMachineDefinition.LAMBDA_INVOKE)) {
            throw new OrchestrationException(where + ": resource " + resource + " is not supported locally (only "
                    + StateMachineDefinition.LAMBDA_INVOKE + ")");
        }
        JsonElement p = s.has("Parameters") ? JsonPaths.fill(s.get("Parameters"), in, context, where + ".Parameters")
                : in;
        if (!(p instanceof JsonObject params) || !params.has("FunctionName")) {
            throw new OrchestrationException(where + ": a Lambda invoke needs Parameters with FunctionName");
        }
        JsonElement payload = params.has("Payload") ? params.get("Payload") : new JsonObject();
        JsonElement response;
        try {
            response = invoker.invoke(params.get("FunctionName").getAsString(), payload, where);
        } catch (OrchestrationException e) {
            throw e;
        } catch (Exception e) {
            throw new OrchestrationException(where + ": " + e.getMessage(), e);
        }
        JsonObject result = new JsonObject();
        result.addProperty("ExecutedVersion", "$LATEST");
        result.add("Payload", response);
        result.addProperty("StatusCode", 200);
        return result;
    }

    private JsonElement map(String where, JsonObject s, JsonElement in, JsonObject context) {
        JsonElement items = s.has("ItemsPath") ? JsonPaths.read(s.get("ItemsPath").getAsString(), in, context,
                where + ".ItemsPath") : in;
        if (!items.isJsonArray()) {
            throw new OrchestrationException(where + ": ItemsPath must select an array");
        }
        if (s.has("ToleratedFailurePercentage") && s.get("ToleratedFailurePercentage").getAsDouble() != 0) {
            throw new OrchestrationException(where + ": only ToleratedFailurePercentage 0 is supported");
        }
        JsonObject processor = s.has("ItemProcessor") ? object(s, "ItemProcessor", where)
                : object(s, "Iterator", where);
        JsonElement selector = s.has("ItemSelector") ? s.get("ItemSelector") : s.get("Parameters");
        JsonArray array = items.getAsJsonArray();
        int limit = s.has("MaxConcurrency") ? s.get("MaxConcurrency").getAsInt() : 0;
        int threads = Math.max(1, limit == 0 ? array.size() : Math.min(limit, array.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "map-" + where);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<JsonElement>> results = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                JsonObject itemContext = context.deepCopy();
                JsonObject mapContext = new JsonObject();
                JsonObject item = new JsonObject();
                item.addProperty("Index", i);
                item.add("Value", array.get(i));
                mapContext.add("Item", item);
                itemContext.add("Map", mapContext);
                JsonElement itemInput = selector != null ? JsonPaths.fill(selector, in, itemContext,
                        where + ".ItemSelector") : array.get(i);
                String itemPrefix = where + "[" + i + "].";
                results.add(pool.submit(() -> runMachine(processor, itemInput, itemContext, itemPrefix)));
            }
            JsonArray out = new JsonArray();
            OrchestrationException first = null;
            for (Future<JsonElement> f : results) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    // Every iteration ends by itself (ranks of a failed job fail within their deadlines); the Map
                    // fails with the first error in item order, as the others are consequences of it or alike.
                    if (first == null) {
                        first = e.getCause() instanceof OrchestrationException o ? o
                                : new OrchestrationException(where + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OrchestrationException(where + ": interrupted");
                }
            }
            if (first != null) {
                throw first;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void checkFields(String where, String type, JsonObject s) {
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            throw new OrchestrationException(where + ": state type " + type + " is not supported locally (Pass, "
                    + "Task, Map, Succeed, Fail)");
        }
        for (String field : s.keySet()) {
            if (!COMMON.contains(field) && !allowed.contains(field)) {
                throw new OrchestrationException(where + ": field " + field + " of a " + type + " state is not "
                        + "supported locally");
            }
        }
    }

    private static JsonObject object(JsonObject o, String key, String where) {
        if (!o.has(key) || !o.get(key).isJsonObject()) {
            throw new OrchestrationException(where + ": missing " + key);
        }
        return o.getAsJsonObject(key);
    }

    private static String string(JsonObject o, String key, String where) {
        if (!o.has(key) || !o.get(key).isJsonPrimitive()) {
            throw new OrchestrationException(where + ": missing " + key);
        }
        return o.get(key).getAsString();
    }
}
