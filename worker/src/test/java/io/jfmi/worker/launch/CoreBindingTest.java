package io.jfmi.worker.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoreBindingTest {
    @Test
    void cpuListsOfSinglesAndRangesAreExpanded() {
        assertEquals(List.of(0, 1, 2, 3, 8), CoreBinding.parseCpuList("0-3,8"));
        assertEquals(List.of(5), CoreBinding.parseCpuList("5"));
        assertEquals(List.of(2, 3, 6, 7), CoreBinding.allowedCpus(List.of("Name:\tjava", "Cpus_allowed:\tcc",
                "Cpus_allowed_list:\t2-3,6-7", "Mems_allowed:\t1")));
    }

    @Test
    void badCpuListsAreRefusedNamingTheList() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CoreBinding.parseCpuList("3-1"));
        assertTrue(e.getMessage().contains("'3-1'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> CoreBinding.parseCpuList("a"));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> CoreBinding.allowedCpus(List.of("Name:\tjava")));
        assertTrue(missing.getMessage().contains("Cpus_allowed_list"), missing.getMessage());
    }

    @Test
    void bindToTakesCoreOrNoneOnly() {
        assertTrue(CoreBinding.parseBindTo("core"));
        assertFalse(CoreBinding.parseBindTo("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoreBinding.parseBindTo("socket"));
        assertTrue(e.getMessage().contains("'socket'"), e.getMessage());
    }

    @Test
    void ranksGoRoundTheAllowedCpusAndTheJvmIsToldHowManyThereAre() {
        CoreBinding binding = CoreBinding.ofThisProcess();
        int n = binding.cpuCount();
        assertEquals(Runtime.getRuntime().availableProcessors(), n);
        assertEquals(binding.cpuOf(0), binding.cpuOf(n));
        List<String> cmd = binding.bound(List.of("/j/bin/java", "-Xmx1g", "Main", "--rank", "1"), 1);
        assertEquals(List.of("taskset", "-c", Integer.toString(binding.cpuOf(1)), "/j/bin/java",
                "-XX:ActiveProcessorCount=" + n, "-Xmx1g", "Main", "--rank", "1"), cmd);
        List<String> given = binding.bound(List.of("java", "-XX:ActiveProcessorCount=7", "Main"), 0);
        assertEquals(List.of("java", "-XX:ActiveProcessorCount=7", "Main"), given.subList(3, given.size()));
    }
}
