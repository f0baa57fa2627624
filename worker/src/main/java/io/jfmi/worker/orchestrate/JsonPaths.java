package io.jfmi.worker.orchestrate;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * The part of Step Functions' JSONPath and payload templates that jfmi's definitions use: paths {@code $},
 * {@code $.a.b}, {@code $.a[0]}, context paths {@code $$.Execution.Name} and {@code $$.Map.Item.Value}; templates
 * whose keys ending in {@code .$} take a path; ResultPath and OutputPath. Anything else (filters, wildcards,
 * intrinsic functions) is an error naming it, never a silent guess.
 */
final class JsonPaths {
    private JsonPaths() {
    }

    /** The value at {@code path} in {@code input} (or in {@code context} for {@code $$} paths). */
    static JsonElement read(String path, JsonElement input, JsonObject context, String where) {
        JsonElement at;
        String rest;
        if (path.startsWith("$$")) {
            at = context;
            rest = path.substring(2);
        } else if (path.startsWith("$")) {
            at = input;
            rest = path.substring(1);
        } else if (path.startsWith("States.")) {
            throw new OrchestrationException(where + ": intrinsic function " + path + " is not supported locally");
        } else {
            throw new OrchestrationException(where + ": '" + path + "' is not a JSONPath");
        }
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                String key = rest.substring(i + 1, end);
                if (key.isEmpty() || key.equals("*")) {
                    throw new OrchestrationException(where + ": unsupported path " + path);
                }
                if (!(at instanceof JsonObject o) || !o.has(key)) {
                    throw new OrchestrationException(where + ": path " + path + " not found in the input (no '" + key
                            + "')");
                }
                at = o.get(key);
                i = end;
            } else if (c == '[') {
                int end = rest.indexOf(']', i);
                String index = end < 0 ? "" : rest.substring(i + 1, end);
                if (!index.matches("\\d+")) {
                    throw new OrchestrationException(where + ": unsupported path " + path + " (only [N] indexes)");
                }
                int n = Integer.parseInt(index);
                if (!(at instanceof JsonArray a) || n >= a.size()) {
                    throw new OrchestrationException(where + ": path " + path + " not found in the input");
                }
                at = a.get(n);
                i = end + 1;
            } else {
                throw new OrchestrationException(where + ": unsupported path " + path);
            }
        }
        return at.deepCopy();
    }

    /** A Parameters/ItemSelector template filled in: keys ending in ".$" take the value their path names. */
    static JsonElement fill(JsonElement template, JsonElement input, JsonObject context, String where) {
        if (!(template instanceof JsonObject t)) {
            return template.deepCopy();
        }
        JsonObject out = new JsonObject();
        for (Map.Entry<String, JsonElement> e : t.entrySet()) {
            String key = e.getKey();
            if (key.endsWith(".$")) {
                if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
                    throw new OrchestrationException(where + ": " + key + " must hold a path string");
                }
                out.add(key.substring(0, key.length() - 2), read(e.getValue().getAsString(), input, context,
                        where + "." + key));
            } else {
                out.add(key, fill(e.getValue(), input, context, where + "." + key));
            }
        }
        return out;
    }

    /** ResultPath: where a state's result goes in its input ($: replaces it; null: the input is kept). */
    static JsonElement placeResult(JsonElement input, JsonElement result, JsonElement resultPath, String where) {
        if (resultPath == null) {
            return result;
        }
        if (resultPath.isJsonNull()) {
            return input;
        }
        String path = resultPath.getAsString();
        if (path.equals("$")) {
            return result;
        }
        if (!path.matches("\\$(\\.[A-Za-z0-9_-]+)+")) {
            throw new OrchestrationException(where + ": unsupported ResultPath " + path);
        }
        JsonObject root = input instanceof JsonObject o ? o.deepCopy() : new JsonObject();
        String[] keys = path.substring(2).split("\\.");
        JsonObject at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            if (!(at.get(keys[i]) instanceof JsonObject)) {
                at.add(keys[i], new JsonObject());
            }
            at = at.getAsJsonObject(keys[i]);
        }
        at.add(keys[keys.length - 1], result == null ? JsonNull.INSTANCE : result);
        return root;
    }
}
