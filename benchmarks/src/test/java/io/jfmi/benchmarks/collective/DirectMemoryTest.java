package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Room for the rank JVMs' direct buffers, sized from the largest message and the rank count. */
class DirectMemoryTest {
    @Test
    void addsRoomForEveryRanksBlockTimesThreePlusTheDataPath() {
        List<String> given = List.of("-Xmx512m", "-XX:+UseSerialGC");
        long expected = 3L * (64 << 20) * 4 + (256L << 20); // 4 ranks, 64 MiB: 1,024 MiB
        assertEquals(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=" + expected),
                JfmiRunner.withDirectMemory(given, List.of(8, 64 << 20, 1024), 4));
        assertEquals(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=" + (256L << 20)),
                JfmiRunner.withDirectMemory(given, List.of(0), 2), "a barrier's size still leaves the data path room");
    }

    @Test
    void keepsALimitTheUserSet() {
        List<String> given = List.of("-Xmx1g", "-XX:MaxDirectMemorySize=300m");
        assertEquals(given, JfmiRunner.withDirectMemory(given, List.of(64 << 20), 8));
    }
}
