package io.jfmi.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.benchmarks.collective.ResultRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The side-by-side table RESULTS.md quotes: jfmi's mean latency over each peer's, point by point. */
class CompareTableTest {
    @Test
    void ratiosAreJfmiOverThePeerAtTheSamePoint() {
        List<ResultRow> rows = List.of(
                new ResultRow("tcp-floor", 2, "pingpong", 8, 1000, 20.0, 19.5, 30),
                new ResultRow("jfmi", 4, "allreduce", 65536, 100, 30.0, 29, 50, 45.0),
                new ResultRow("openmpi", 4, "allreduce", 65536, 100, 20.0, 19, 40, 30.0),
                new ResultRow("gloo", 4, "allreduce", 65536, 25, 120.0, 110, 300),
                new ResultRow("jfmi", 4, "bcast", 8, 100, 5.0, 5, 9),
                new ResultRow("openmpi", 4, "bcast", 8, 100, 10.0, 9, 20));
        List<String> lines = CompareCommand.table(rows).lines().toList();
        assertEquals("loopback floor (C, blocking TCP ping-pong, 8 B): round trip mean 20.00 us, p50 19.50 us",
                lines.get(0));
        assertTrue(lines.get(2).matches(
                "\\s+4 allreduce\\s+64K\\s+30\\.00\\s+20\\.00\\s+120\\.00\\s+1\\.50x\\s+0\\.25x\\s+1\\.50x"),
                lines.get(2));
        // gloo did not run the bcast point, and no CPU time was measured there: the columns say so instead of
        // dividing by nothing
        assertTrue(lines.get(3).matches("\\s+4 bcast\\s+8\\s+5\\.00\\s+10\\.00\\s+-\\s+0\\.50x\\s+-\\s+-"),
                lines.get(3));
        assertEquals(4, lines.size());
    }

    @Test
    void twoRankExchangesAreSetAgainstTheFasterExchangeFloorAtTheirSize() {
        List<ResultRow> rows = List.of(
                new ResultRow("tcp-exchange", 2, "exchange", 1 << 20, 500, 450.0, 440, 900),
                new ResultRow("tcp-exchange-split", 2, "exchange", 1 << 20, 500, 300.0, 290, 800),
                new ResultRow("jfmi", 2, "alltoall", 1 << 20, 100, 400.0, 380, 900),
                new ResultRow("openmpi", 2, "alltoall", 1 << 20, 100, 200.0, 190, 700),
                new ResultRow("jfmi", 4, "alltoall", 1 << 20, 100, 900.0, 880, 1900),
                new ResultRow("jfmi", 2, "allreduce", 1 << 20, 100, 500.0, 480, 1000));
        List<String> lines = CompareCommand.table(rows).lines().toList();
        assertTrue(lines.get(0).startsWith("ranks"), "the exchange floor is not a point of the main table");
        String exchange = ExchangeFloors.large(rows);
        List<String> x = exchange.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(6, x.size(), exchange); // title, header, two floors, jfmi and openmpi at 2 ranks only
        assertTrue(x.get(2).matches("exchange\\s+1M floor, 1 conn\\s+450\\.00\\s+2\\.33\\s+67%"), x.get(2));
        assertTrue(x.get(3).matches("exchange\\s+1M floor, 2 conns\\s+300\\.00\\s+3\\.50\\s+100%"), x.get(3));
        assertTrue(x.get(4).matches("alltoall\\s+1M jfmi\\s+400\\.00\\s+2\\.62\\s+75%"), x.get(4));
        assertTrue(x.get(5).matches("alltoall\\s+1M openmpi\\s+200\\.00\\s+5\\.24\\s+150%"), x.get(5));
        assertEquals("", ExchangeFloors.large(rows.subList(2, 4)), "no floor, no section");
        assertEquals("", ExchangeFloors.small(rows), "no small floor, no small section");
    }

    @Test
    void smallTwoRankOpsAreSetAgainstTheSpinningFloorsInMeanAndP99() {
        List<ResultRow> rows = List.of(
                new ResultRow("tcp-exchange", 2, "exchange", 8, 1000, 20.0, 19, 60),
                new ResultRow("tcp-exchange-split", 2, "exchange", 8, 1000, 21.0, 20, 61),
                new ResultRow("tcp-exchange-spin", 2, "exchange", 8, 1000, 5.0, 4.5, 20),
                new ResultRow("tcp-exchange-spin", 2, "exchange", 1024, 1000, 8.0, 7, 16),
                new ResultRow("tcp-stream-spin", 2, "stream", 8, 1000, 4.0, 3.5, 10),
                new ResultRow("tcp-exchange", 2, "exchange", 1 << 20, 500, 450.0, 440, 900),
                new ResultRow("jfmi", 2, "barrier", 0, 1000, 6.0, 5.5, 30),
                new ResultRow("openmpi", 2, "allgather", 8, 1000, 7.5, 7, 40),
                new ResultRow("jfmi", 2, "alltoall", 1024, 1000, 12.0, 11, 24),
                new ResultRow("jfmi", 2, "reduce", 8, 1000, 6.0, 6, 20),
                new ResultRow("jfmi", 4, "allgather", 8, 1000, 50.0, 45, 90),
                new ResultRow("jfmi", 2, "alltoall", 1 << 20, 100, 400.0, 380, 900));
        List<String> x = ExchangeFloors.small(rows).lines().filter(l -> !l.isBlank()).toList();
        // title, header, the five small floors, then barrier, allgather, alltoall and reduce at 2 ranks below 64 KiB
        assertEquals(11, x.size(), String.join("\n", x));
        assertTrue(x.get(2).matches("exchange\\s+8 floor, poll\\s+20\\.00\\s+19\\.00\\s+60\\.00\\s+4\\.00x\\s+3\\.00x"),
                x.get(2));
        assertTrue(x.get(4).matches("exchange\\s+8 floor, spin\\s+5\\.00\\s+4\\.50\\s+20\\.00\\s+1\\.00x\\s+1\\.00x"),
                x.get(4));
        assertTrue(x.get(6).matches("stream\\s+8 floor, stream\\s+4\\.00\\s+3\\.50\\s+10\\.00\\s+1\\.00x\\s+1\\.00x"),
                x.get(6));
        // a barrier carries no data: it is set against the smallest size's floor
        assertTrue(x.get(7).matches("barrier\\s+0 jfmi\\s+6\\.00\\s+5\\.50\\s+30\\.00\\s+1\\.20x\\s+1\\.50x"),
                x.get(7));
        assertTrue(x.get(8).matches("allgather\\s+8 openmpi\\s+7\\.50\\s+7\\.00\\s+40\\.00\\s+1\\.50x\\s+2\\.00x"),
                x.get(8));
        assertTrue(x.get(9).matches("alltoall\\s+1K jfmi\\s+12\\.00\\s+11\\.00\\s+24\\.00\\s+1\\.50x\\s+1\\.50x"),
                x.get(9));
        // the reduce, a one-way stream, against the stream floor of its size
        assertTrue(x.get(10).matches("reduce\\s+8 jfmi\\s+6\\.00\\s+6\\.00\\s+20\\.00\\s+1\\.50x\\s+2\\.00x"),
                x.get(10));
        List<String> large = ExchangeFloors.large(rows).lines().filter(l -> !l.isBlank()).toList();
        assertEquals(4, large.size(), "the large table holds only sizes from 64 KiB: " + large);
    }
}
