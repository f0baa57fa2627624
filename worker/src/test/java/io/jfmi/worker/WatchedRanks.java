package io.jfmi.worker;

import io.jfmi.worker.launch.RankProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * Rank JVMs started one by one so a test can act on them (kill one): every output line is kept as "[r] line", and
 * {@link #reached} counts down once per rank at the first line matching a predicate.
 */
final class WatchedRanks implements AutoCloseable {
    final List<Process> processes = new ArrayList<>();
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    final CountDownLatch reached;

    WatchedRanks(RankProcesses.Spec spec, Predicate<String> milestone) throws IOException {
        reached = new CountDownLatch(spec.worldSize());
        for (int r = 0; r < spec.worldSize(); r++) {
            Process p = new ProcessBuilder(RankProcesses.command(spec, r)).redirectErrorStream(true).start();
            processes.add(p);
            int rank = r;
            Thread t = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    boolean counted = false;
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add("[" + rank + "] " + line);
                        if (!counted && milestone.test(line)) {
                            counted = true;
                            reached.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }

    /** The first failure line rank r printed ("rank r of job 'J' failed: ..."), or an assertion error. */
    String failureOf(int r, String job) {
        String prefix = "[" + r + "] rank " + r + " of job '" + job + "' failed: ";
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("rank " + r + " printed no failure: " + lines));
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
