package io.jfmi.worker.orchestrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definitions `stepfunction` writes: every rank at once, the right Map, study keys carried, all valid ASL. */
class StateMachineDefinitionTest {
    static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:jfmi";
    static final List<String> INFERENCE = List.of("bucket", "world_size", "object_type", "S3_object_name",
            "data_path", "script", "batch_size");
    static final List<String> PARTITION = List.of("bucket", "file_limit", "batch_size", "object_type",
            "S3_object_name", "script", "result_path", "data_bucket", "data_prefix");
    static final List<String> EXECUTOR = List.of("S3_BUCKET", "S3_OBJECT_NAME", "S3_OBJECT_TYPE", "SCRIPT",
            "WORLD_SIZE", "RANK", "data_path");

    @TempDir
    Path dir;

    static JsonObject build(int n, List<String> keys, StateMachineDefinition.MapMode mode) {
        return StateMachineDefinition.build(new StateMachineDefinition.Settings(n, ARN, keys, null, null, null, mode));
    }

    static JsonObject map(JsonObject definition) {
        return definition.getAsJsonObject("States").getAsJsonObject("Ranks");
    }

    @Test
    void everyRankRunsAtOnceAndGetsTheStudysKeysPlusItsOwn() {
        JsonObject m = map(build(7, INFERENCE, StateMachineDefinition.MapMode.auto));
        assertEquals(7, m.get("MaxConcurrency").getAsInt());
        assertEquals("INLINE", m.getAsJsonObject("ItemProcessor").getAsJsonObject("ProcessorConfig").get("Mode")
                .getAsString());
        JsonObject item = m.getAsJsonObject("ItemSelector");
        assertEquals("$.payload.data_path", item.get("data_path.$").getAsString());
        assertEquals("$$.Map.Item.Value", item.get("rank.$").getAsString());
        assertEquals(7, item.get("world_size").getAsInt(), "the payload's own world_size is replaced");
        assertFalse(item.has("world_size.$"));
        assertEquals("$.job_id", item.get("job_id.$").getAsString());
        JsonObject init = build(7, INFERENCE, StateMachineDefinition.MapMode.auto).getAsJsonObject("States")
                .getAsJsonObject("Initialize");
        assertEquals("$$.Execution.Name", init.getAsJsonObject("Parameters").get("job_id.$").getAsString(),
                "a new execution, a new job id");
        assertEquals(7, init.getAsJsonObject("Parameters").getAsJsonArray("ranks").size());
    }

    @Test
    void theExecutorPayloadKeepsItsUpperCaseKeys() {
        JsonObject item = map(build(3, EXECUTOR, StateMachineDefinition.MapMode.auto)).getAsJsonObject(
                "ItemSelector");
        assertEquals("$$.Map.Item.Value", item.get("RANK.$").getAsString());
        assertEquals(3, item.get("WORLD_SIZE").getAsInt());
        assertFalse(item.has("rank.$"));
    }

    @Test
    void onlyServiceErrorsAreRetriedNeverAFunctionError() {
        JsonObject task = map(build(2, PARTITION, StateMachineDefinition.MapMode.auto)).getAsJsonObject(
                "ItemProcessor").getAsJsonObject("States").getAsJsonObject("InvokeRank");
        String retried = task.getAsJsonArray("Retry").get(0).getAsJsonObject().getAsJsonArray("ErrorEquals")
                .toString();
        assertTrue(retried.contains("Lambda.ServiceException"), retried);
        assertFalse(retried.contains("States.ALL") || retried.contains("States.TaskFailed"), retried);
    }

    @Test
    void largerJobsUseADistributedMapOfStandardExecutionsAndImpossibleOnesAreRefused() {
        JsonObject m = map(build(41, INFERENCE, StateMachineDefinition.MapMode.auto));
        JsonObject config = m.getAsJsonObject("ItemProcessor").getAsJsonObject("ProcessorConfig");
        assertEquals("DISTRIBUTED", config.get("Mode").getAsString());
        assertEquals("STANDARD", config.get("ExecutionType").getAsString(), "EXPRESS children stop at 5 minutes");
        assertEquals(41, m.get("MaxConcurrency").getAsInt());
        IllegalArgumentException inline = assertThrows(IllegalArgumentException.class,
                () -> build(41, INFERENCE, StateMachineDefinition.MapMode.inline));
        assertTrue(inline.getMessage().contains("at most 40"), inline.getMessage());
        assertThrows(IllegalArgumentException.class, () -> build(10_001, INFERENCE,
                StateMachineDefinition.MapMode.auto));
        assertThrows(IllegalArgumentException.class, () -> build(0, INFERENCE, StateMachineDefinition.MapMode.auto));
    }

    @Test
    void everyShapeAndModeIsValidAsl() throws Exception {
        int i = 0;
        for (List<String> keys : List.of(INFERENCE, PARTITION, EXECUTOR)) {
            for (int n : new int[] {1, 40, 64}) {
                for (boolean overrides : new boolean[] {false, true}) {
                    // with and without --bucket, --result-path and a fixed --rendezvous
                    JsonObject d = StateMachineDefinition.build(new StateMachineDefinition.Settings(n, ARN, keys,
                            overrides ? "198.51.100.7:7700" : null, overrides ? "other-bucket" : null,
                            overrides ? "results/run-1" : null, StateMachineDefinition.MapMode.auto));
                    Path f = dir.resolve("sm-" + i++ + ".json");
                    Files.writeString(f, d.toString());
                    AslValidator.assertValid(f);
                }
            }
        }
        Path distributed = dir.resolve("sm-forced-distributed.json");
        Files.writeString(distributed, build(2, INFERENCE, StateMachineDefinition.MapMode.distributed).toString());
        AslValidator.assertValid(distributed);
    }
}
