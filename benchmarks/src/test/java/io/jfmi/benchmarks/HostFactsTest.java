package io.jfmi.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {
    @Test
    void describesThisMachinesCongestionControlAndKernel() throws Exception {
        Path cc = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
        String line = new HostFacts().describe();
        if (Files.isReadable(cc)) {
            String expected = Files.readString(cc).trim();
            assertEquals(expected, new HostFacts().congestionControl());
            assertTrue(line.contains("TCP congestion control " + expected + ","), line);
        }
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        assertTrue(line.startsWith("host: ") && line.contains("kernel " + kernel + ","), line);
        assertTrue(line.endsWith(System.lineSeparator()), "one whole line: " + line);
    }

    @Test
    void readsAnotherProcRootAndSaysUnknownForWhatIsMissing(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("sys/net/ipv4"));
        Files.writeString(proc.resolve("sys/net/ipv4/tcp_congestion_control"), "reno\n");
        HostFacts facts = new HostFacts(proc);
        assertEquals("reno", facts.congestionControl());
        String line = facts.describe();
        assertTrue(line.contains("kernel unknown, TCP congestion control reno, default qdisc unknown, "
                + "network namespace unknown"), line);
    }
}
