package io.jfmi.worker.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Throwaway: CPU per thread name (ms) from /proc/self/task. */
public final class ThreadCpu {
    public static String summary() {
        Map<String, Long> byName = new TreeMap<>();
        long total = 0;
        try (var s = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : s.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1,
                            stat.lastIndexOf(')')).replaceAll("[0-9#]+$", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    byName.merge(comm.trim(), ticks * 10, Long::sum);
                    total += ticks * 10;
                } catch (Exception e) {
                    // thread gone
                }
            }
        } catch (Exception e) {
            return "n/a";
        }
        StringBuilder b = new StringBuilder("cpu " + total + " ms:");
        byName.entrySet().stream().filter(e -> e.getValue() > 0).sorted((x, y) -> Long.compare(y.getValue(),
                x.getValue()))
                .forEach(e -> b.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        return b.toString();
    }

    /** Uptime and the process's CPU time (ms), e.g. "1763 cpu 750". */
    public static String now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " cpu " + ms;
        } catch (Exception e) {
            return "n/a";
        }
    }
}
