package io.jfmi.worker.job;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What this process has used so far, read from the JVM and /proc (Linux). */
public final class ProcessProbe {
    private ProcessProbe() {
    }

    /** CPU time of the whole process (all threads, user + system), in nanoseconds. */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Resident set size now, in bytes (0 where /proc is missing). */
    public static long rssBytes() {
        return statusKb("VmRSS:") * 1024;
    }

    /** Peak resident set size since the process started, in bytes. */
    public static long peakRssBytes() {
        return statusKb("VmHWM:") * 1024;
    }

    /** Milliseconds since this JVM was started. */
    public static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** "model name" of the first CPU and the core count, e.g. "AMD EPYC 7B13 x2". */
    public static String cpuInfo() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            model = System.getProperty("os.arch");
        }
        return model + " x" + Runtime.getRuntime().availableProcessors();
    }

    /** Physical memory of the machine in GB. */
    public static double ramGb() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / 1e9;
    }

    private static long statusKb(String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
