package io.jfmi.benchmarks.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The host's idle share from /proc/stat: the parse of its first line, and readings of this machine's. */
class HostIdleTest {
    private static ByteBuffer line(String text) {
        ByteBuffer b = ByteBuffer.allocateDirect(512);
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b; // position = bytes read, as after FileChannel.read
    }

    @Test
    void theCpuLineGivesItsEightStatesInOrder() {
        long[] v = new long[8];
        assertTrue(HostIdle.parseCpuLine(line("cpu  4705 356 584 3699176 23060 0 277 0 0 0\ncpu0 1 2 3\n"), v));
        assertArrayEquals(new long[] {4705, 356, 584, 3699176, 23060, 0, 277, 0}, v);
    }

    @Test
    void anythingElseIsRefused() {
        long[] v = new long[8];
        assertFalse(HostIdle.parseCpuLine(line("intr 1 2 3 4 5 6 7 8 9\n"), v), "not the cpu line");
        assertFalse(HostIdle.parseCpuLine(line("cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7 8\n"), v),
                "seven states: the next line's numbers must not be taken");
        assertFalse(HostIdle.parseCpuLine(line("cp"), v), "too short");
    }

    @Test
    void aPercentNeedsTicks() {
        assertEquals(25.0, HostIdle.percent(50, 200));
        assertNull(HostIdle.percent(0, 0), "no tick passed");
        assertNull(HostIdle.percent(0, -1), "a reading failed");
    }

    @Test
    void thisHostsTicksGrowAndIdleIsPartOfThem() throws Exception {
        long[] first = new long[2];
        if (!Files.isReadable(Path.of("/proc/stat"))) {
            assertFalse(HostIdle.read(first), "no /proc/stat (not Linux): no reading");
            return;
        }
        long[] second = new long[2];
        assertTrue(HostIdle.read(first));
        Thread.sleep(60); // six ticks of 10 ms per CPU
        assertTrue(HostIdle.read(second));
        assertTrue(second[1] > first[1], "ticks passed: " + first[1] + " -> " + second[1]);
        assertTrue(second[0] >= first[0] && second[0] - first[0] <= second[1] - first[1],
                "idle " + (second[0] - first[0]) + " of " + (second[1] - first[1]) + " ticks");
    }

    @Test
    void aWindowSumsItsSpansAndSaysNothingBeforeATickPassed() throws Exception {
        HostIdle.Window window = new HostIdle.Window();
        if (!Files.isReadable(Path.of("/proc/stat"))) {
            window.start();
            window.stop();
            assertNull(window.percent(), "no /proc/stat: unknown");
            return;
        }
        assertNull(window.percent(), "no span yet");
        for (int i = 0; i < 2; i++) {
            window.start();
            Thread.sleep(60); // mostly idle: this thread sleeps
            window.stop();
        }
        Double idle = window.percent();
        assertTrue(idle != null && idle >= 0 && idle <= 100, "idle " + idle);
    }
}
