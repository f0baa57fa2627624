package io.jfmi.worker.lambda;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an event in any of the study's three shapes into a {@link StudyEvent}. Numbers may be JSON numbers or
 * strings ("4"), as the study wrote them. jfmi's own keys come from the event or, when absent there, from
 * environment variables (JFMI_RENDEZVOUS, JFMI_JOB_ID, JFMI_SECRET, JFMI_ENGINE, JFMI_MODEL, JFMI_TIMEOUT_SECONDS,
 * JFMI_RESULT_PREFIX, JFMI_THREADS, JFMI_TLS, JFMI_TLS_TRUST, JFMI_SEAL_LINKS, JFMI_HEAL_LINKS). Every error names
 * the key.
 */
public final class EventParser {
    static final int DEFAULT_BATCH_SIZE = 256;
    static final long DEFAULT_TIMEOUT_SECONDS = 60;

    private static final Set<String> INFERENCE_KEYS = Set.of("bucket", "world_size", "rank", "object_type",
            "S3_object_name", "data_path", "script", "batch_size");
    private static final Set<String> PARTITION_KEYS = Set.of("bucket", "file_limit", "batch_size", "object_type",
            "S3_object_name", "script", "result_path", "data_bucket", "data_prefix", "world_size", "rank");
    private static final Set<String> EXECUTOR_KEYS = Set.of("S3_BUCKET", "S3_OBJECT_NAME", "S3_OBJECT_TYPE", "SCRIPT",
            "WORLD_SIZE", "RANK", "data_path", "batch_size");
    /** jfmi's keys and the environment variables that stand in for them. */
    static final Map<String, String> JFMI_KEYS = Map.ofEntries(Map.entry("rendezvous", "JFMI_RENDEZVOUS"),
            Map.entry("job_id", "JFMI_JOB_ID"), Map.entry("secret", "JFMI_SECRET"), Map.entry("engine", "JFMI_ENGINE"),
            Map.entry("model", "JFMI_MODEL"), Map.entry("timeout_seconds", "JFMI_TIMEOUT_SECONDS"),
            Map.entry("result_prefix", "JFMI_RESULT_PREFIX"), Map.entry("threads", "JFMI_THREADS"),
            Map.entry("tls", "JFMI_TLS"), Map.entry("tls_trust", "JFMI_TLS_TRUST"),
            Map.entry("seal_links", "JFMI_SEAL_LINKS"), Map.entry("heal_links", "JFMI_HEAL_LINKS"));

    private final JsonObject event;
    private final Map<String, String> env;

    private EventParser(JsonObject event, Map<String, String> env) {
        this.event = event;
        this.env = env;
    }

    /**
     * @param fallbackJobId job id for a one-rank job that names none (e.g. from the request id)
     */
    public static StudyEvent parse(JsonObject event, Map<String, String> env, String fallbackJobId) {
        return new EventParser(event, env).parse(fallbackJobId);
    }

    private StudyEvent parse(String fallbackJobId) {
        StudyEvent.Shape shape = event.has("S3_BUCKET") ? StudyEvent.Shape.EXECUTOR
                : event.has("data_prefix") || event.has("data_bucket") ? StudyEvent.Shape.PARTITION
                : event.has("bucket") ? StudyEvent.Shape.INFERENCE : null;
        if (shape == null) {
            throw new PayloadException("event has none of the keys 'bucket' (inference or partition payload) or "
                    + "'S3_BUCKET' (executor payload); got keys " + event.keySet());
        }
        boolean exec = shape == StudyEvent.Shape.EXECUTOR;
        String bucket = requiredString(exec ? "S3_BUCKET" : "bucket");
        int worldSize;
        int rank;
        if (shape == StudyEvent.Shape.PARTITION && !event.has("world_size") && !event.has("rank")) {
            worldSize = 1; // the study ran one function per partition
            rank = 0;
        } else {
            worldSize = requiredInt(exec ? "WORLD_SIZE" : "world_size");
            rank = requiredInt(exec ? "RANK" : "rank");
        }
        if (worldSize < 1) {
            throw new PayloadException("key '" + (exec ? "WORLD_SIZE" : "world_size") + "' must be >= 1, got "
                    + worldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new PayloadException("key '" + (exec ? "RANK" : "rank") + "' must be in 0.." + (worldSize - 1)
                    + " for world size " + worldSize + ", got " + rank);
        }
        String typeKey = exec ? "S3_OBJECT_TYPE" : "object_type";
        String type = optionalString(typeKey, "folder").toLowerCase(Locale.ROOT);
        StudyEvent.ObjectType objectType = switch (type) {
            case "folder" -> StudyEvent.ObjectType.FOLDER;
            case "file" -> StudyEvent.ObjectType.FILE;
            default -> throw new PayloadException("key '" + typeKey + "' must be \"folder\" or \"file\", got \""
                    + type + "\"");
        };
        String objectKey = exec ? "S3_OBJECT_NAME" : "S3_object_name";
        String objectName = shape == StudyEvent.Shape.PARTITION ? optionalString(objectKey, null)
                : requiredString(objectKey);
        String dataPath = shape == StudyEvent.Shape.PARTITION ? null
                : objectType == StudyEvent.ObjectType.FILE ? optionalString("data_path", null)
                : requiredString("data_path");
        String script = optionalString(exec ? "SCRIPT" : "script", null);
        int batchSize = optionalInt("batch_size", DEFAULT_BATCH_SIZE);
        if (batchSize < 1) {
            throw new PayloadException("key 'batch_size' must be >= 1, got " + batchSize);
        }
        String resultPath = optionalString("result_path", null);
        int fileLimit = 0;
        String dataBucket = null;
        String dataPrefix = null;
        if (shape == StudyEvent.Shape.PARTITION) {
            fileLimit = optionalInt("file_limit", 0);
            if (fileLimit < 0) {
                throw new PayloadException("key 'file_limit' must be >= 0, got " + fileLimit);
            }
            dataBucket = optionalString("data_bucket", bucket);
            dataPrefix = requiredString("data_prefix");
        }
        StudyEvent.JfmiSettings jfmi = jfmiSettings(worldSize, fallbackJobId);
        return new StudyEvent(shape, bucket, rank, worldSize, objectType, objectName, dataPath, script, batchSize,
                resultPath, fileLimit, dataBucket, dataPrefix, jfmi, ignoredKeys(shape));
    }

    private StudyEvent.JfmiSettings jfmiSettings(int worldSize, String fallbackJobId) {
        String rendezvous = jfmi("rendezvous");
        String jobId = jfmi("job_id");
        String secret = jfmi("secret");
        if (worldSize > 1) {
            for (String k : new String[] {"rendezvous", "job_id", "secret"}) {
                if (jfmi(k) == null) {
                    throw new PayloadException("key '" + k + "' (or environment variable " + JFMI_KEYS.get(k)
                            + ") is required when world_size > 1");
                }
            }
        }
        if (jobId == null) {
            jobId = fallbackJobId;
        }
        String engine = jfmi("engine") == null ? "auto" : jfmi("engine").toLowerCase(Locale.ROOT);
        if (!Set.of("auto", "pytorch", "onnxruntime").contains(engine)) {
            throw new PayloadException("key 'engine' must be auto, pytorch or onnxruntime, got \"" + engine + "\"");
        }
        long timeout = jfmi("timeout_seconds") == null ? DEFAULT_TIMEOUT_SECONDS
                : parseLong("timeout_seconds", jfmi("timeout_seconds"));
        if (timeout < 1) {
            throw new PayloadException("key 'timeout_seconds' must be >= 1, got " + timeout);
        }
        int threads = jfmi("threads") == null ? 0 : (int) parseLong("threads", jfmi("threads"));
        if (threads < 0) {
            throw new PayloadException("key 'threads' must be >= 0, got " + threads);
        }
        String tlsTrust = jfmi("tls_trust");
        boolean tls = flag("tls") || tlsTrust != null;
        String healLinks = jfmi("heal_links") == null ? "punched" : jfmi("heal_links").toLowerCase(Locale.ROOT);
        if (!Set.of("off", "punched", "all").contains(healLinks)) {
            throw new PayloadException("key 'heal_links' (or environment variable JFMI_HEAL_LINKS) must be off, "
                    + "punched or all, got \"" + healLinks + "\"");
        }
        return new StudyEvent.JfmiSettings(rendezvous, jobId, secret, engine, jfmi("model"), timeout,
                jfmi("result_prefix"), threads, tls, tlsTrust, flag("seal_links"), healLinks);
    }

    /** A true/false key ("true", "false", JSON booleans; absent = false). */
    private boolean flag(String key) {
        String v = jfmi(key);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new PayloadException("key '" + key + "' (or environment variable " + JFMI_KEYS.get(key)
                    + ") must be true or false, got \"" + v + "\"");
        };
    }

    /** A jfmi key from the event, else its environment variable; null when neither has it. */
    private String jfmi(String key) {
        if (event.has(key) && !event.get(key).isJsonNull()) {
            return asString(key, event.get(key));
        }
        String v = env.get(JFMI_KEYS.get(key));
        return v == null || v.isBlank() ? null : v.trim();
    }

    private List<String> ignoredKeys(StudyEvent.Shape shape) {
        Set<String> known = switch (shape) {
            case INFERENCE -> INFERENCE_KEYS;
            case PARTITION -> PARTITION_KEYS;
            case EXECUTOR -> EXECUTOR_KEYS;
        };
        List<String> out = new ArrayList<>();
        for (String k : event.keySet()) {
            if (!known.contains(k) && !JFMI_KEYS.containsKey(k) && !k.equals("result_path")) {
                out.add(k);
            }
        }
        return out;
    }

    private String requiredString(String key) {
        if (!event.has(key) || event.get(key).isJsonNull()) {
            throw new PayloadException("missing required key '" + key + "'");
        }
        String s = asString(key, event.get(key));
        if (s.isBlank()) {
            throw new PayloadException("key '" + key + "' is empty");
        }
        return s;
    }

    private String optionalString(String key, String fallback) {
        return event.has(key) && !event.get(key).isJsonNull() ? asString(key, event.get(key)) : fallback;
    }

    private int requiredInt(String key) {
        if (!event.has(key) || event.get(key).isJsonNull()) {
            throw new PayloadException("missing required key '" + key + "'");
        }
        return toInt(key, event.get(key));
    }

    private int optionalInt(String key, int fallback) {
        return event.has(key) && !event.get(key).isJsonNull() ? toInt(key, event.get(key)) : fallback;
    }

    private static String asString(String key, JsonElement e) {
        if (!e.isJsonPrimitive()) {
            throw new PayloadException("key '" + key + "' must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static int toInt(String key, JsonElement e) {
        long v = parseLong(key, asString(key, e));
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new PayloadException("key '" + key + "' is out of range: " + v);
        }
        return (int) v;
    }

    /** Whole numbers as JSON numbers (4, 4.0) or strings ("4"). */
    private static long parseLong(String key, String text) {
        try {
            return new JsonPrimitive(text.trim()).getAsBigDecimal().longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new PayloadException("key '" + key + "' must be a whole number, got \"" + text + "\"");
        }
    }
}
