package io.jfmi.benchmarks.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.benchmarks.BadArguments;
import io.jfmi.benchmarks.BenchmarksMain;
import io.jfmi.worker.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fold` in real child JVMs (C1 only, so the unrolled sums run and are checked), and its refusals. */
class FoldCommandTest {
    @TempDir
    Path out;

    @Test
    void c1JvmsFoldCorrectlyAndTheTablesHaveARowEach() throws Exception {
        int code = Cli.execute(BenchmarksMain.class, "fold", "--jits", "c1", "--loops", "auto,plain,unrolled",
                "--types", "double,int", "--sizes", "24K,8", "--repeats", "3", "--warmup", "2", "--no-floor",
                "--out", out.toString());
        assertEquals(0, code, "fold exits 0 when every child JVM's sums were right");
        List<String> csv = Files.readAllLines(out.resolve("fold.csv"));
        assertEquals(1 + 3 * 2 * 2, csv.size(), String.join("\n", csv));
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",");
            double median = Double.parseDouble(f[f.length - 2]);
            double copies = Double.parseDouble(f[f.length - 1]);
            assertTrue(median > 0 && copies > 0, row);
            assertTrue(row.contains(",C1,"), row);
        }
        String md = Files.readString(out.resolve("fold.md"));
        assertTrue(md.contains("| double 24KB | double 8B | int 24KB | int 8B |"), md);
        assertTrue(md.contains("| C1 | unrolled |") && md.contains("| copies alone |"), md);
    }

    @Test
    void unknownNamesAndMissingRuntimesAreRefusedBeforeAnythingRuns() throws Exception {
        Path refusedOut = out.resolve("refused");
        String o = refusedOut.toString();
        assertTrue(BadArguments.refused("fold", "--loops", "auto,fast", "--out", o)
                .contains("--loops: unknown 'fast' (known: auto, plain, unrolled)"));
        assertTrue(BadArguments.refused("fold", "--types", "byte", "--out", o).contains("--types: unknown 'byte'"));
        assertTrue(BadArguments.refused("fold", "--java", out.resolve("no-java").toString(), "--out", o)
                .contains("is not an executable file"));
        assertTrue(BadArguments.refused("fold", "--sizes", "12", "--out", o).contains("not a multiple of 8"));
        assertFalse(Files.exists(refusedOut), "a refused run must not create its results folder");
    }
}
