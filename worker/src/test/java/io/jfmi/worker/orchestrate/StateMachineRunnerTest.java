package io.jfmi.worker.orchestrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's semantics on small definitions, with an in-process function (this tests the interpreter; the
 * real invocations in their own JVMs are OrchestrateIT's).
 */
class StateMachineRunnerTest {
    final List<String> events = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** Echoes the event with a field added; fails for rank 1 when asked to. */
    JsonElement function(String name, JsonElement payload, String label) {
        events.add(payload.toString());
        JsonObject o = payload.getAsJsonObject().deepCopy();
        if (o.has("fail") && o.get("rank").getAsInt() == 1) {
            throw new IllegalStateException("rank 1 cannot start: bad data");
        }
        o.addProperty("ran", name);
        return o;
    }

    JsonElement run(String definition, String input) {
        return new StateMachineRunner(this::function, new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(JsonParser.parseString(definition).getAsJsonObject(), JsonParser.parseString(input), "exec-1");
    }

    @Test
    void theGeneratedDefinitionRunsEveryRankWithTheEventStepFunctionsWouldPass() {
        JsonObject def = StateMachineDefinition.build(new StateMachineDefinition.Settings(3, "arn:f",
                List.of("bucket", "data_path"), "10.0.0.1:7700", null, "results/x",
                StateMachineDefinition.MapMode.auto));
        JsonElement out = run(def.toString(), "{\"bucket\": \"b\", \"data_path\": \"/tmp/d.pt\", \"extra\": 1}");
        assertEquals(3, events.size());
        JsonObject rank2 = events.stream().map(e -> JsonParser.parseString(e).getAsJsonObject())
                .filter(e -> e.get("rank").getAsInt() == 2).findFirst().orElseThrow();
        assertEquals(JsonParser.parseString("{\"bucket\": \"b\", \"data_path\": \"/tmp/d.pt\", \"result_path\": "
                + "\"results/x\", \"rank\": 2, \"world_size\": 3, \"job_id\": \"exec-1\", \"rendezvous\": "
                + "\"10.0.0.1:7700\"}"), rank2, "payload keys named at generation, plus the rank's own");
        JsonObject o = out.getAsJsonObject();
        assertEquals("exec-1", o.get("job_id").getAsString());
        assertEquals(0, o.getAsJsonObject("rank0").get("rank").getAsInt(), "Summarize picks rank 0's response");
        assertEquals("arn:f", o.getAsJsonObject("rank0").get("ran").getAsString());
        String transitions = log.toString(StandardCharsets.UTF_8);
        assertTrue(transitions.contains("Ranks[1].InvokeRank (Task): entered")
                && transitions.contains("Summarize (Pass): exited"), transitions);
    }

    @Test
    void aFailingRankFailsTheMapWithItsError() {
        JsonObject def = StateMachineDefinition.build(new StateMachineDefinition.Settings(3, "arn:f",
                List.of("bucket", "fail"), "h:1", null, null, StateMachineDefinition.MapMode.auto));
        OrchestrationException e = assertThrows(OrchestrationException.class,
                () -> run(def.toString(), "{\"bucket\": \"b\", \"fail\": true}"));
        assertTrue(e.getMessage().contains("Ranks[1].InvokeRank") && e.getMessage().contains("bad data"),
                e.getMessage());
    }

    @Test
    void passResultPathOutputPathAndFail() {
        String def = """
                {"StartAt": "A", "States": {
                  "A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.a", "Next": "B"},
                  "B": {"Type": "Pass", "Parameters": {"y.$": "$.a.x", "z": [1, 2]}, "ResultPath": "$.b",
                        "OutputPath": "$.b", "Next": "C"},
                  "C": {"Type": "Succeed"}}}""";
        assertEquals(JsonParser.parseString("{\"y\": 1, \"z\": [1, 2]}"), run(def, "{\"in\": true}"));
        String fail = """
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "JobFailed", "Cause": "because"}}}""";
        OrchestrationException e = assertThrows(OrchestrationException.class, () -> run(fail, "{}"));
        assertTrue(e.getMessage().contains("F: Fail state: JobFailed because"), e.getMessage());
    }

    @Test
    void whatItCannotRunIsAnErrorNamingTheState() {
        assertMessage("""
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}""",
                "W: state type Wait is not supported");
        assertMessage("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "f"}, "Catch": [], "End": true}}}""",
                "T: field Catch of a Task state is not supported");
        assertMessage("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                 "End": true}}}""", "T: resource arn:aws:states:::sqs:sendMessage is not supported");
        assertMessage("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"a.$": "States.Format('x')"},
                 "End": true}}}""", "intrinsic function States.Format('x') is not supported");
        assertMessage("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"a.$": "$.missing"},
                 "End": true}}}""", "path $.missing not found");
        assertMessage("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Nowhere"}}}""", "Nowhere: no such state");
    }

    private void assertMessage(String definition, String expected) {
        OrchestrationException e = assertThrows(OrchestrationException.class, () -> run(definition, "{}"));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
