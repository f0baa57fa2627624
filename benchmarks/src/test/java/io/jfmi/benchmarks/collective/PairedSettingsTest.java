package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.cli.JobOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paired benchmark's two settings, and the table that sets B against A. */
class PairedSettingsTest {
    private static final String[] RANK_ARGS = {"--ops", "allreduce", "--sizes", "8", "--calls", "10", "--rounds",
        "2", "--b-args", "--spin-nanos 1000000 --second-connection off", "--spin-nanos", "-1", "--rendezvous",
        "127.0.0.1:7000", "--job", "bench-4", "--secret-file", "/tmp/job.secret", "--rank", "3", "--world-size", "4"};

    @Test
    void settingBIsTheRankCommandLineWithItsOwnOptionsWinningInAJobOfItsOwn() {
        JobOptions b = PairedBenchRank.settingB(RANK_ARGS, "--spin-nanos 1000000 --second-connection off");
        assertEquals("bench-4-b", b.job, "B joins a job of its own");
        assertEquals(1_000_000, b.spinNanos, "B's --spin-nanos overrides A's -1");
        assertEquals(3, b.rank);
        assertEquals(4, b.worldSize);
        assertEquals("127.0.0.1:7000", b.rendezvous);
    }

    @Test
    void theTableSetsBAgainstAPointByPoint() {
        List<ResultRow> rows = List.of(
                new ResultRow("A", 4, "alltoall", 1 << 20, 100, 400.0, 380, 900, 200.0).withIdlePct(27.25),
                new ResultRow("B", 4, "alltoall", 1 << 20, 100, 300.0, 290, 450, 220.0).withIdlePct(8.0),
                new ResultRow("A", 4, "barrier", 0, 100, 50.0, 40, 90, 0));
        List<String> lines = PairedCommand.table(rows).lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.get(0).endsWith("cpu(us)   idle%"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" 27.3"), lines.get(1));
        assertTrue(lines.get(3).endsWith(" -"), "not measured: " + lines.get(3));
        assertTrue(lines.get(4).matches("ranks\\s+op\\s+bytes\\s+B/A mean\\s+B/A p99\\s+B/A cpu\\s+A idle%\\s+B idle%"),
                lines.get(4));
        assertTrue(lines.get(5).matches("\\s+4 alltoall\\s+1M\\s+0\\.75x\\s+0\\.50x\\s+1\\.10x\\s+27\\.3\\s+8\\.0"),
                lines.get(5));
        assertEquals(6, lines.size(), "a point measured on A only has no ratio line");
    }
}
