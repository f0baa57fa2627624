package io.jfmi.worker.json;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Every JSON file jfmi reads or writes goes through here (Gson): indented output, record components in
 * snake_case ({@code totalSamples} is {@code "total_samples"}), non-finite numbers written as null (JSON has no
 * NaN), no HTML escaping. Reading checks the keys a record needs, so a missing key is named instead of read as 0.
 */
public final class JsonCodec {
    public static final Gson GSON = builder().setPrettyPrinting().create();
    /** One object per line, for line-oriented protocols such as the benchmarks' RESULT lines. */
    public static final Gson COMPACT = builder().create();

    private JsonCodec() {
    }

    private static GsonBuilder builder() {
        JsonSerializer<Number> finiteOrNull = (value, type, context) -> Double.isFinite(value.doubleValue())
                ? new JsonPrimitive(value) : JsonNull.INSTANCE;
        return new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                .registerTypeAdapter(Double.class, finiteOrNull).registerTypeAdapter(Float.class, finiteOrNull)
                .serializeNulls().disableHtmlEscaping();
    }

    /** {@code value} as indented JSON with a final newline. */
    public static String write(Object value) {
        return GSON.toJson(value) + "\n";
    }

    /** The JSON object in {@code text}; {@code source} names where it came from in errors. */
    public static JsonObject parseObject(String text, String source) {
        JsonElement e;
        try {
            e = JsonParser.parseString(text);
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + rootMessage(ex), ex);
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object, found "
                    + (e.isJsonNull() ? "nothing" : e.isJsonArray() ? "an array" : "a value"));
        }
        return e.getAsJsonObject();
    }

    /** The object in {@code file}, or an IOException naming the file when it is missing or not a JSON object. */
    public static JsonObject readObject(Path file) throws IOException {
        try {
            return parseObject(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Binds {@code object} to {@code type} after checking that every key in {@code required} is present and not
     * null; errors name {@code source} and the key.
     */
    public static <T> T bind(JsonObject object, Class<T> type, String source, String... required) {
        for (String key : required) {
            if (!object.has(key) || object.get(key).isJsonNull()) {
                throw new IllegalArgumentException(source + ": missing \"" + key + "\"");
            }
        }
        try {
            return GSON.fromJson(object, type);
        } catch (RuntimeException e) {
            // Gson's own errors, and what a record's constructor throws (its validation), wrapped by Gson.
            throw new IllegalArgumentException(source + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
