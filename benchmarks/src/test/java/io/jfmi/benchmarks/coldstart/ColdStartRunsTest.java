package io.jfmi.benchmarks.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The p50 and max the cold-start table reports, over the runs of one variant. */
class ColdStartRunsTest {
    @Test
    void p50IsTheMiddleRunAndMaxTheWorst() {
        ColdStartRuns runs = new ColdStartRuns("ort-c1");
        for (double init : new double[] {700, 500, 900, 600, 800}) {
            runs.add(run(init));
        }
        assertEquals(700, runs.p50("init_ms"));
        assertEquals(900, runs.max("init_ms"));
        String table = ColdStartRuns.markdownTable(List.of(runs), 1);
        assertTrue(table.contains("| ort-c1 | 5 | onnxruntime | 700 / 900 | 70 / 90 |"), table);
        assertTrue(runs.summaryLine().startsWith("ort-c1              5 runs  Init p50 700 max 900 ms"),
                runs.summaryLine());
    }

    @Test
    void anEvenNumberOfRunsReportsTheUpperMiddle() {
        assertEquals(3, ColdStartCommand.quantile(new double[] {4, 1, 3, 2}, 0.5));
        assertEquals(4, ColdStartCommand.quantile(new double[] {4, 1, 3, 2}, 1.0));
        assertEquals(1, ColdStartCommand.quantile(new double[] {4, 1, 3, 2}, 0.0));
    }

    private static JsonObject run(double init) {
        JsonObject o = new JsonObject();
        o.addProperty("engine", "onnxruntime");
        o.addProperty("init_ms", init);
        o.addProperty("first_invocation_ms", init / 10);
        o.addProperty("second_invocation_ms", 5);
        o.addProperty("combine_first_ms", 3);
        o.addProperty("combine_warm_ms", 1);
        return o;
    }
}
