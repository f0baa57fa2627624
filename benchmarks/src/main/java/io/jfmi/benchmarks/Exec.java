package io.jfmi.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs peer programs with a deadline and collects their output lines. */
public final class Exec {
    private Exec() {
    }

    /** True when {@code cmd} starts and exits 0 within a few seconds. */
    public static boolean works(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A command prefix pinning a process to cores 0..cpus-1 with taskset; empty where taskset is not there. */
    public static List<String> pinnedToCores(int cpus) {
        if (!works(List.of("taskset", "-c", "0", "true"))) {
            return List.of();
        }
        return List.of("taskset", "-c", cpus == 1 ? "0" : "0-" + (cpus - 1));
    }

    /** Runs several processes at once; returns all their lines; throws when any fails or the deadline passes. */
    public static List<String> runAll(List<List<String>> commands, List<Map<String, String>> envs, Path dir,
            Duration deadline) throws IOException, InterruptedException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        List<Process> procs = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        try {
            for (int i = 0; i < commands.size(); i++) {
                ProcessBuilder pb = new ProcessBuilder(commands.get(i)).directory(dir.toFile())
                        .redirectErrorStream(true);
                pb.environment().putAll(envs.get(i));
                Process p = pb.start();
                procs.add(p);
                Thread t = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                });
                t.setDaemon(true);
                t.start();
                pumps.add(t);
            }
            long end = System.nanoTime() + deadline.toNanos();
            for (Process p : procs) {
                long left = end - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    throw new IOException("timed out after " + deadline.toSeconds() + " s: " + commands.get(0));
                }
            }
            for (Thread t : pumps) {
                t.join(2000);
            }
            for (int i = 0; i < procs.size(); i++) {
                if (procs.get(i).exitValue() != 0) {
                    List<String> tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
                    throw new IOException(String.join(" ", commands.get(i)) + " exited " + procs.get(i).exitValue()
                            + "; last output:\n  " + String.join("\n  ", tail));
                }
            }
            return new ArrayList<>(lines);
        } finally {
            procs.forEach(Process::destroyForcibly);
        }
    }

    public static List<String> run(List<String> command, Map<String, String> env, Path dir, Duration deadline)
            throws IOException, InterruptedException {
        return runAll(List.of(command), List.of(env), dir, deadline);
    }

    /** This JVM's class path with absolute entries, for child JVMs that run in another folder. */
    public static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }
}
