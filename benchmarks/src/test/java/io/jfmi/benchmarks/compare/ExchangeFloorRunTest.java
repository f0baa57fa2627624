package io.jfmi.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jfmi.benchmarks.Exec;
import io.jfmi.benchmarks.collective.ResultRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds tcp_exchange.c with gcc and runs it over loopback for a few calls: every pass reports, per size. */
class ExchangeFloorRunTest {
    @TempDir
    Path work;

    @Test
    void everyPassReportsAndTheStreamsTwoSidesAreCombined() throws Exception {
        assumeTrue(Exec.works(List.of("gcc", "--version")), "gcc is not installed");
        List<ResultRow> rows = new PeerRunners(work, null).tcpExchange(List.of(8, 1024, 65536), 2000, 200);

        Map<String, List<Long>> sizesBySystem = rows.stream().collect(Collectors.groupingBy(ResultRow::system,
                Collectors.mapping(ResultRow::bytes, Collectors.toList())));
        assertEquals(List.of(8L, 1024L, 65536L), sizesBySystem.get("tcp-exchange"), rows.toString());
        assertEquals(List.of(8L, 1024L, 65536L), sizesBySystem.get("tcp-exchange-split"), rows.toString());
        // the spinning passes run below 64 KiB only
        assertEquals(List.of(8L, 1024L), sizesBySystem.get("tcp-exchange-spin"), rows.toString());
        assertEquals(List.of(8L, 1024L), sizesBySystem.get("tcp-stream-spin"), "one combined row per size, "
                + "not one per side: " + rows);
        for (ResultRow r : rows) {
            assertEquals(2, r.ranks(), r.toString());
            assertTrue(r.meanUs() > 0 && r.p50Us() > 0 && r.p99Us() >= r.p50Us(), r.toString());
            assertEquals(r.system().equals("tcp-stream-spin") ? "stream" : "exchange", r.op(), r.toString());
        }
    }
}
