package io.jfmi.worker.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Starts one JVM per rank of a local job, forwards each one's output with a "[rank r]" prefix, and waits for all
 * of them against a deadline. When a rank fails the others get a grace period to fail on their own (they are
 * told through the rendezvous server), then are killed: a launch never hangs.
 */
public final class RankProcesses {

    /**
     * @param worldSize     number of rank JVMs
     * @param jvmArgs       extra JVM options for every rank (e.g. -Xmx)
     * @param mainClass     class to run
     * @param args          arguments before the per-rank job options
     * @param rendezvous    HOST:PORT of the server
     * @param jobId         job id
     * @param secretFile    job secret file
     * @param deadline      the whole job must finish within this
     * @param grace         how long the surviving ranks get after the first failure
     * @param bindToCores   start rank r on one CPU, r modulo the CPUs allowed ({@link CoreBinding})
     */
    public record Spec(int worldSize, List<String> jvmArgs, String mainClass, List<String> args, String rendezvous,
            String jobId, Path secretFile, Duration deadline, Duration grace, boolean bindToCores) {
        /** A job whose ranks the kernel places (no binding). */
        public Spec(int worldSize, List<String> jvmArgs, String mainClass, List<String> args, String rendezvous,
                String jobId, Path secretFile, Duration deadline, Duration grace) {
            this(worldSize, jvmArgs, mainClass, args, rendezvous, jobId, secretFile, deadline, grace, false);
        }
    }

    /** Exit code per rank (-1 when killed) and whether the deadline passed. */
    public record Outcome(List<Integer> exitCodes, boolean timedOut, int firstFailedRank, long wallMillis) {
        public boolean succeeded() {
            return !timedOut && exitCodes.stream().allMatch(c -> c == 0);
        }
    }

    private RankProcesses() {
    }

    /**
     * Runs the job. Every output line goes to {@code lines} as (rank, line); by default print it with
     * {@link #printer(PrintStream)}.
     */
    public static Outcome run(Spec spec, BiConsumer<Integer, String> lines) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Process> processes = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        CoreBinding binding = spec.bindToCores() ? CoreBinding.ofThisProcess() : null;
        try {
            for (int r = 0; r < spec.worldSize(); r++) {
                List<String> cmd = command(spec, r);
                if (binding != null) {
                    cmd = binding.bound(cmd, r);
                }
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                processes.add(p);
                pumps.add(pump(p, r, lines));
            }
            return await(spec, processes, pumps, start);
        } finally {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** Prints lines as "[rank r] ..." on {@code out}, one whole line at a time. */
    public static BiConsumer<Integer, String> printer(PrintStream out) {
        return (rank, line) -> {
            synchronized (out) {
                out.println("[rank " + rank + "] " + line);
            }
        };
    }

    /** The command line of rank {@code rank}'s JVM (without the binding's prefix). */
    public static List<String> command(Spec spec, int rank) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(spec.jvmArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(spec.mainClass());
        cmd.addAll(spec.args());
        Collections.addAll(cmd, "--rendezvous", spec.rendezvous(), "--job", spec.jobId(), "--secret-file",
                spec.secretFile().toString(), "--rank", Integer.toString(rank), "--world-size",
                Integer.toString(spec.worldSize()));
        return cmd;
    }

    private static Thread pump(Process p, int rank, BiConsumer<Integer, String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.accept(rank, line);
                }
            } catch (IOException e) {
                lines.accept(rank, "(output lost: " + e.getMessage() + ")");
            }
        }, "rank-" + rank + "-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static Outcome await(Spec spec, List<Process> processes, List<Thread> pumps, long start)
            throws InterruptedException {
        long deadline = start + spec.deadline().toNanos();
        int firstFailed = -1;
        long killAt = Long.MAX_VALUE;
        boolean timedOut = false;
        while (true) {
            boolean allDone = true;
            for (int r = 0; r < processes.size(); r++) {
                Process p = processes.get(r);
                if (p.isAlive()) {
                    allDone = false;
                } else if (p.exitValue() != 0 && firstFailed < 0) {
                    firstFailed = r;
                    killAt = System.nanoTime() + spec.grace().toNanos();
                }
            }
            if (allDone) {
                break;
            }
            long now = System.nanoTime();
            if (now > deadline || now > killAt) {
                timedOut = now > deadline;
                processes.forEach(Process::destroyForcibly);
                for (Process p : processes) {
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                break;
            }
            // The last rank may end between the check above and this one: then there is nothing to wait for.
            for (Process p : processes) {
                if (p.isAlive()) {
                    p.waitFor(50, TimeUnit.MILLISECONDS);
                    break;
                }
            }
        }
        for (Thread t : pumps) {
            t.join(2000);
        }
        List<Integer> codes = new ArrayList<>();
        for (Process p : processes) {
            codes.add(p.isAlive() ? -1 : p.exitValue());
        }
        return new Outcome(codes, timedOut, firstFailed, (System.nanoTime() - start) / 1_000_000);
    }
}
