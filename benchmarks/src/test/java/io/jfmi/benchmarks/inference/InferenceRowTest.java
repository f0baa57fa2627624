package io.jfmi.benchmarks.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceRowTest {
    @Test
    void parsesTheProbesResultLine() {
        InferenceRow r = InferenceRow.parse("djl-pytorch", 64, 2, "RESULT samples_per_s=812.50 p50_ms=70.10 "
                + "p99_ms=95.00 peak_rss_mb=900 rss_first_mb=850 rss_last_mb=880 batches=40");
        assertEquals(new InferenceRow("djl-pytorch", 64, 2, 812.5, 70.1, 95.0, 900, 850, 880, 40), r);
        assertEquals("djl-pytorch,64,2,812.50,70.10,95.00,900,850,880,40", r.csv());
    }

    @Test
    void aLineWithoutAResultNamesTheSystem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InferenceRow.parse("ort-java", 1, 1, "RESULT gflops=12"));
        assertTrue(e.getMessage().startsWith("ort-java: no result"), e.getMessage());
    }

    @Test
    void everyRowIsComparedWithTheFasterPeerAtItsOwnPoint() {
        List<InferenceRow> rows = List.of(row("djl-pytorch", 64, 2, 600), row("ort-java", 64, 2, 400),
                row("python-pytorch", 64, 2, 500), row("djl-pytorch", 256, 2, 300), row("ort-java", 256, 1, 999));
        assertEquals(1.2, rows.get(0).vsBestPeer(rows), 1e-12);
        assertEquals(0.8, rows.get(1).vsBestPeer(rows), 1e-12);
        assertEquals(Double.NaN, rows.get(3).vsBestPeer(rows), "no peer at batch 256 with 2 threads");
    }

    @Test
    void theTableGivesEachSystemsShareOfTheFp32PeakAtItsThreadCount() {
        List<InferenceRow> rows = List.of(row("ort-java", 256, 1, 100), row("ort-java", 256, 2, 150));
        String table = InferenceCommand.table(rows, 2e8, java.util.Map.of(1, 80.0, 2, 160.0),
                java.util.Map.of(1, 60.0, 2, 110.0));
        // 100 samples/s x 0.2 GFLOP = 20 GFLOP/s = 25% of 80; 150 x 0.2 = 30 = 19% of 160
        assertTrue(table.contains("| ort-java | 256 | 1 | 100.0 | 1.00x | 1.0 | 2.0 | 100 | 20.0 | 25% |"), table);
        assertTrue(table.contains("| ort-java | 256 | 2 | 150.0 | 1.00x | 1.0 | 2.0 | 100 | 30.0 | 19% |"), table);
        assertTrue(table.contains("1 thread(s): FP32 peak (FMA loop) 80.0 GFLOP/s, libtorch 1024^3 matmul 60.0"),
                table);
    }

    @Test
    void theFmaLoopsResultLineIsRead() {
        assertEquals(158.3, Fp32Peak.parse("RESULT threads=2 gflops=158.3 vector_bits=512"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Fp32Peak.parse("RESULT threads=2"));
    }

    private static InferenceRow row(String system, int batch, int threads, double rate) {
        return new InferenceRow(system, batch, threads, rate, 1, 2, 100, 90, 95, 10);
    }
}
