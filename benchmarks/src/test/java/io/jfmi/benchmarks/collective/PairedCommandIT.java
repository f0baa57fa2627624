package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Two rank JVMs join a job twice (settings A and B) and time both; real server, real sockets. */
class PairedCommandIT {
    @Test
    @Timeout(120)
    void bothSettingsAreTimedInTheSameRanksAndSetSideBySide(@TempDir Path out) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try (PrintStream into = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(into);
            // B adds one bare worker flag: the ranks must take it as --b-args's value, not as their own --no-punch.
            exit = new CommandLine(new PairedCommand()).execute("--ranks", "2", "--ops", "allreduce,barrier",
                    "--sizes", "64K", "--calls", "20", "--rounds", "2", "--b-args", "--no-punch",
                    "--out", out.toString());
        } finally {
            System.setOut(stdout);
        }
        String table = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, table);
        List<String[]> rows = Files.readAllLines(out.resolve("paired.csv")).stream().skip(1)
                .map(l -> l.split(",")).toList();
        assertEquals(4, rows.size(), table);
        for (String[] r : rows) { // system,ranks,op,bytes,iterations,mean_us,p50_us,p99_us,cpu_us,idle_pct
            String row = String.join(",", r);
            assertEquals("2", r[1], row);
            assertEquals("40", r[4], "2 rounds of 20 calls: " + row);
            double mean = Double.parseDouble(r[5]);
            double p50 = Double.parseDouble(r[6]);
            double p99 = Double.parseDouble(r[7]);
            double cpu = Double.parseDouble(r[8]);
            assertTrue(mean > 0 && p99 >= p50 && cpu > 0, row);
            // the host's idle share: a percentage, or empty where no tick passed during the setting's blocks
            assertTrue(r.length == 9 || Double.parseDouble(r[9]) >= 0 && Double.parseDouble(r[9]) <= 100, row);
        }
        assertEquals(List.of("A", "B", "A", "B"), rows.stream().map(r -> r[0]).toList());
        String row = "\\s+2 allreduce\\s+64K\\s+[0-9.]+x\\s+[0-9.]+x\\s+[0-9.]+x\\s+[0-9.-]+\\s+[0-9.-]+";
        assertTrue(table.lines().anyMatch(l -> l.matches(row)), table);
    }
}
