package io.jfmi.benchmarks.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.benchmarks.collective.ResultRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each protected setup is divided by its own plain twin at the same point, never by another setup. */
class CostTableTest {
    @Test
    void protectedOverItsPlainTwinWithRates() {
        List<ResultRow> rows = List.of(
                new ResultRow("direct", 2, "allreduce", 1 << 20, 100, 500.0, 480, 700),
                new ResultRow("sealed", 2, "allreduce", 1 << 20, 100, 1000.0, 950, 1400),
                new ResultRow("relay", 2, "allreduce", 1 << 20, 100, 2000.0, 1900, 3000),
                new ResultRow("relay-tls", 2, "allreduce", 1 << 20, 100, 3000.0, 2900, 3000),
                new ResultRow("sealed", 2, "allreduce", 8, 100, 30.0, 29, 40));
        List<String> lines = CostTable.render(rows).lines().toList();
        assertEquals(3, lines.size(), "header, sealed 1M, relay-tls 1M; the 8 B point has no plain twin");
        assertTrue(lines.get(1).matches("sealed\\s+2 allreduce\\s+1M\\s+500\\.00\\s+1000\\.00\\s+2\\.00x\\s+700\\.00"
                + "\\s+1400\\.00\\s+2\\.00x\\s+2097\\.2\\s+1048\\.6"), lines.get(1));
        assertTrue(lines.get(2).matches("relay-tls\\s+2 allreduce\\s+1M\\s+2000\\.00\\s+3000\\.00\\s+1\\.50x\\s+"
                + "3000\\.00\\s+3000\\.00\\s+1\\.00x\\s+524\\.3\\s+349\\.5"), lines.get(2));
    }
}
