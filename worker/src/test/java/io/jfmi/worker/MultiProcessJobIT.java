package io.jfmi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.launch.RankProcesses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real rendezvous.jar process and 4 worker JVMs: direct links, forced relay, and a rank killed with SIGKILL. */
class MultiProcessJobIT {
    @TempDir
    Path dir;

    private RankProcesses.Spec spec(RendezvousProcess server, String job, List<String> args, int deadlineSeconds) {
        return new RankProcesses.Spec(4, List.of("-Xmx256m"), WorkerMain.class.getName(), args, server.address(),
                job, server.secretFile, Duration.ofSeconds(deadlineSeconds), Duration.ofSeconds(20));
    }

    private static String metrics(RendezvousProcess server) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> (long) Double.parseDouble(
                l.substring(name.length() + 1).trim())).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    @Test
    void fourWorkerJvmsOverDirectLinksThenOverTheRelay() throws Exception {
        try (RendezvousProcess server = new RendezvousProcess(dir)) {
            for (boolean relay : new boolean[] {false, true}) {
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                List<String> args = new ArrayList<>(List.of("run", "--task", "pi", "--samples", "2000000"));
                if (relay) {
                    args.add("--force-relay");
                }
                long relayedBefore = metric(metrics(server), "jfmi_relayed_bytes_total");
                RankProcesses.Outcome out = RankProcesses.run(spec(server, relay ? "it-relay" : "it-direct", args,
                        120), (rank, line) -> lines.add("[" + rank + "] " + line));
                String all = String.join("\n", lines);
                assertTrue(out.succeeded(), "job failed: " + out + "\n" + all);
                assertTrue(all.contains("pi ~= 3.14"), all);
                String expectedLinks = relay ? "0-1:relay 0-2:relay 0-3:relay" : "0-1:local 0-2:local 0-3:local";
                assertTrue(all.contains(expectedLinks), all);
                long relayed = metric(metrics(server), "jfmi_relayed_bytes_total") - relayedBefore;
                assertEquals(relay, relayed > 0, "relayed bytes " + relayed);
            }
        }
    }

    @Test
    void killingOneRankFailsEveryOtherRankWithinTheDeadline() throws Exception {
        try (RendezvousProcess server = new RendezvousProcess(dir)) {
            RankProcesses.Spec spec = spec(server, "it-kill", List.of("run", "--task", "soak", "--seconds", "60",
                    "--timeout", "30"), 120);
            List<Process> ranks = new ArrayList<>();
            ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
            CountDownLatch started = new CountDownLatch(4);
            for (int r = 0; r < 4; r++) {
                Process p = new ProcessBuilder(RankProcesses.command(spec, r)).redirectErrorStream(true).start();
                ranks.add(p);
                int rank = r;
                Thread t = new Thread(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            lines.add("[" + rank + "] " + line);
                            if (line.contains("soak started")) {
                                started.countDown();
                            }
                        }
                    } catch (java.io.IOException ignored) {
                        // process gone
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            try {
                assertTrue(started.await(60, TimeUnit.SECONDS), "ranks never started: " + lines);
                Thread.sleep(500);
                long killedAt = System.nanoTime();
                ranks.get(2).destroyForcibly(); // SIGKILL: no goodbye, no clean socket shutdown by the JVM
                for (int r : new int[] {0, 1, 3}) {
                    assertTrue(ranks.get(r).waitFor(25, TimeUnit.SECONDS), "rank " + r + " hung after the kill: "
                            + lines);
                    assertEquals(2, ranks.get(r).exitValue(), "rank " + r + " exit code; output: " + lines);
                }
                long ms = (System.nanoTime() - killedAt) / 1_000_000;
                String all = String.join("\n", lines);
                for (int r : new int[] {0, 1, 3}) {
                    String prefix = "[" + r + "] rank " + r + " of job 'it-kill' failed: ";
                    String failure = lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                            .orElseThrow(() -> new AssertionError("rank " + r + " printed no failure: " + all));
                    assertTrue(failure.contains("rank 2"), "rank " + r + " should name rank 2: " + failure);
                }
                assertTrue(ms < 25_000, "took " + ms + " ms");
                Files.writeString(dir.resolve("kill-output.txt"), all);
            } finally {
                ranks.forEach(Process::destroyForcibly);
            }
        }
    }
}
