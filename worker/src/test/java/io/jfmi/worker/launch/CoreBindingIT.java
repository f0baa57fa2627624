package io.jfmi.worker.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Real rank JVMs started bound: each one runs on its own CPU and still counts the job's CPUs. */
class CoreBindingIT {
    private static Map<Integer, String> run(boolean bind) throws Exception {
        RankProcesses.Spec spec = new RankProcesses.Spec(3, List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"),
                BoundRankProbe.class.getName(), List.of(), "127.0.0.1:1", "bind-test", Path.of("unused"),
                Duration.ofSeconds(60), Duration.ofSeconds(5), bind);
        Map<Integer, String> lines = new ConcurrentHashMap<>();
        RankProcesses.Outcome outcome = RankProcesses.run(spec, (rank, line) -> {
            if (line.startsWith("cpus ")) {
                lines.put(rank, line);
            }
        });
        assertTrue(outcome.succeeded(), "exit codes " + outcome.exitCodes());
        assertEquals(3, lines.size(), lines.toString());
        return lines;
    }

    @Test
    void boundRanksRunOnOneCpuEachRoundRobinAndCountAllOfThem() throws Exception {
        CoreBinding binding = CoreBinding.ofThisProcess();
        int n = binding.cpuCount();
        Map<Integer, String> lines = run(true);
        for (int r = 0; r < 3; r++) {
            assertEquals("cpus " + binding.cpuOf(r) + " processors " + n, lines.get(r), "rank " + r);
        }
    }

    @Test
    void unboundRanksMayRunAnywhere() throws Exception {
        int n = CoreBinding.ofThisProcess().cpuCount();
        for (String line : run(false).values()) {
            assertTrue(line.endsWith(" processors " + n), line);
        }
    }
}
