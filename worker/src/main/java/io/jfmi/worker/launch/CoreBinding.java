package io.jfmi.worker.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Binds rank r of a local job to one CPU, r modulo the CPUs this process may use, by starting its JVM under
 * {@code taskset -c}: what {@code mpirun --bind-to core} does. Java 17 has no affinity API, and without a binding the
 * kernel may keep two spinning ranks on one CPU for tens of milliseconds while another CPU idles (a wake-up lands
 * a rank on its waker's CPU; the load balancer moves it later), which a cold job's first calls feel (RESULTS.md).
 */
public final class CoreBinding {
    private final List<Integer> cpus;

    private CoreBinding(List<Integer> cpus) {
        this.cpus = List.copyOf(cpus);
    }

    /**
     * The CPUs this process may run on (Cpus_allowed_list of /proc/self/status), checked to be usable with taskset.
     *
     * @throws IllegalStateException naming what is missing when the binding cannot be made here
     */
    public static CoreBinding ofThisProcess() {
        Path status = Path.of("/proc/self/status");
        List<Integer> cpus;
        try {
            cpus = allowedCpus(Files.readAllLines(status));
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind ranks to cores: reading " + status + " failed: " + e, e);
        }
        if (!tasksetWorks(cpus.get(0))) {
            throw new IllegalStateException("cannot bind ranks to cores: 'taskset -c " + cpus.get(0)
                    + " true' did not run (taskset is in util-linux; install it or bind none)");
        }
        return new CoreBinding(cpus);
    }

    /** The CPU ids listed by a Cpus_allowed_list line among {@code statusLines}, e.g. "0-3,8" -> [0, 1, 2, 3, 8]. */
    static List<Integer> allowedCpus(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return parseCpuList(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("cannot bind ranks to cores: no Cpus_allowed_list line in /proc/self/status");
    }

    static List<Integer> parseCpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                int first = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int last = dash < 0 ? first : Integer.parseInt(p.substring(dash + 1));
                if (first < 0 || last < first) {
                    throw new NumberFormatException("range " + p);
                }
                for (int c = first; c <= last; c++) {
                    cpus.add(c);
                }
            } catch (NumberFormatException e) {
                throw new IllegalStateException("cannot bind ranks to cores: bad CPU list '" + list + "' (" + p + ")");
            }
        }
        if (cpus.isEmpty()) {
            throw new IllegalStateException("cannot bind ranks to cores: empty CPU list");
        }
        return cpus;
    }

    private static boolean tasksetWorks(int cpu) {
        try {
            Process p = new ProcessBuilder("taskset", "-c", Integer.toString(cpu), "true").redirectErrorStream(true)
                    .start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads a {@code --bind-to} value: true for "core", false for "none". */
    public static boolean parseBindTo(String value) {
        return switch (value) {
            case "core" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException("--bind-to must be core or none, got '" + value + "'");
        };
    }

    /** The CPU of rank {@code rank}. */
    public int cpuOf(int rank) {
        return cpus.get(rank % cpus.size());
    }

    /** How many CPUs the ranks are spread over. */
    public int cpuCount() {
        return cpus.size();
    }

    /** The command prefix that starts rank {@code rank}'s process on its CPU. */
    public List<String> prefixFor(int rank) {
        return List.of("taskset", "-c", Integer.toString(cpuOf(rank)));
    }

    /**
     * Rank {@code rank}'s JVM command ({@code java} first) started on its CPU. The JVM is told how many CPUs the
     * job has ({@code -XX:ActiveProcessorCount}, unless given): bound to one it would count one, and size its
     * threads and jfmi its wait and connections for a single core shared by all ranks, which is not the case.
     */
    public List<String> bound(List<String> javaCommand, int rank) {
        List<String> cmd = new ArrayList<>(prefixFor(rank));
        cmd.add(javaCommand.get(0));
        if (javaCommand.stream().noneMatch(a -> a.startsWith("-XX:ActiveProcessorCount="))) {
            cmd.add("-XX:ActiveProcessorCount=" + cpus.size());
        }
        cmd.addAll(javaCommand.subList(1, javaCommand.size()));
        return cmd;
    }
}
