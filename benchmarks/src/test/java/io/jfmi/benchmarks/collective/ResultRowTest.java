package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows every collective table is built from, as each system prints them. */
class ResultRowTest {
    @Test
    void parsesTheLinesOfJfmiOpenMpiAndGloo() {
        // jfmi's rank 0 (compact Gson with an extra key), osu_coll.c's printf, gloo_coll.py's json.dumps
        ResultRow jfmi = ResultRow.parse("{\"system\":\"jfmi\",\"ranks\":4,\"op\":\"allreduce\",\"bytes\":65536,"
                + "\"iterations\":100,\"mean_us\":12.5,\"p50_us\":11.0,\"p99_us\":40.25,\"verified\":true}");
        assertEquals(new ResultRow("jfmi", 4, "allreduce", 65536, 100, 12.5, 11.0, 40.25), jfmi);
        ResultRow mpi = ResultRow.parse("{\"system\":\"openmpi\",\"ranks\":2,\"rank\":1,\"op\":\"bcast\",\"bytes\":8,"
                + "\"iterations\":1000,\"mean_us\":3.100,\"p50_us\":2.900,\"p99_us\":9.000,\"cpu_us\":6.200}");
        assertEquals(new ResultRow("openmpi", 2, "bcast", 8, 1000, 3.1, 2.9, 9.0, 6.2), mpi);
        ResultRow gloo = ResultRow.parse("{\"system\": \"gloo\", \"ranks\": 8, \"op\": \"allgather\", "
                + "\"bytes\": 1048576, \"iterations\": 50, \"mean_us\": 1500.5, \"p50_us\": 1400.0, "
                + "\"p99_us\": 3000.0}");
        assertEquals(8, gloo.ranks());
        assertEquals(1500.5, gloo.meanUs());
        assertEquals(0, gloo.cpuUs(), "a line without cpu_us: not measured");
        assertEquals("-", gloo.cpuText());
        assertEquals("6.20", mpi.cpuText());
    }

    @Test
    void theIdleShareTravelsThroughJsonCsvAndCombineAndIsAbsentUnlessMeasured() {
        ResultRow measured = new ResultRow("jfmi", 8, "alltoall", 1 << 20, 40, 12000, 11000, 40000, 9000)
                .withIdlePct(27.5);
        assertEquals(measured, ResultRow.parse(io.jfmi.worker.json.JsonCodec.COMPACT.toJson(measured)));
        assertEquals(null, ResultRow.parse("{\"system\":\"openmpi\",\"ranks\":2,\"op\":\"bcast\",\"bytes\":8,"
                + "\"iterations\":10,\"mean_us\":1,\"p50_us\":1,\"p99_us\":2}").idlePct());
        assertTrue(ResultRow.csv(List.of(measured)).endsWith(",9000.000,27.5\n"), ResultRow.csv(List.of(measured)));
        // rank 0 alone reads the host's idle share; the other ranks' parts carry none
        ResultRow other = new ResultRow("jfmi", 8, "alltoall", 1 << 20, 40, 14000, 13000, 50000, 9500);
        assertEquals(27.5, ResultRow.combine(List.of(other, measured)).idlePct());
        assertTrue(ResultRow.table(List.of(other)).lines().noneMatch(l -> l.contains("idle")),
                "no idle column where nothing measured it");
    }

    @Test
    void aLineWithoutAMeasureIsRefusedByKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultRow.parse(
                "{\"system\":\"jfmi\",\"ranks\":4,\"op\":\"allreduce\",\"bytes\":8,\"iterations\":1,\"mean_us\":1}"));
        assertTrue(e.getMessage().endsWith("missing \"p50_us\""), e.getMessage());
    }

    @Test
    void perRankPartsCombineToTheMeanOfMeansAndTheSlowestPercentiles() {
        ResultRow combined = ResultRow.combine(List.of(new ResultRow("openmpi", 2, "bcast", 8, 10, 4, 3, 20, 7),
                new ResultRow("openmpi", 2, "bcast", 8, 10, 6, 5, 10, 9)));
        assertEquals(new ResultRow("openmpi", 2, "bcast", 8, 10, 5, 5, 20, 8), combined);
    }

    @Test
    void jsonAndCsvCarryEveryFieldBack() {
        List<ResultRow> rows = List.of(new ResultRow("jfmi", 4, "allreduce", 1024, 100, 12.345, 11.5, 40.0, 20.5),
                new ResultRow("gloo", 4, "allreduce", 1024, 25, 100.0, 90.0, 300.0));
        String json = ResultRow.json(rows);
        assertTrue(json.contains("\"mean_us\": 12.345"), json);
        assertEquals(rows.get(1), ResultRow.parse(io.jfmi.worker.json.JsonCodec.GSON.toJson(rows.get(1))));
        assertEquals(rows.get(0), ResultRow.parse(io.jfmi.worker.json.JsonCodec.GSON.toJson(rows.get(0))));
        assertEquals("system,ranks,op,bytes,iterations,mean_us,p50_us,p99_us,cpu_us,idle_pct\n"
                + "jfmi,4,allreduce,1024,100,12.345,11.500,40.000,20.500,\n"
                + "gloo,4,allreduce,1024,25,100.000,90.000,300.000,0.000,\n", ResultRow.csv(rows));
        assertTrue(ResultRow.table(rows).lines().anyMatch(
                l -> l.matches("jfmi\\s+4 allreduce\\s+1K\\s+12\\.35\\s+11\\.50\\s+40\\.00\\s+20\\.50")),
                ResultRow.table(rows));
        assertTrue(ResultRow.table(rows).lines().anyMatch(l -> l.matches("gloo\\s+4 .*300\\.00\\s+-")),
                ResultRow.table(rows));
    }
}
