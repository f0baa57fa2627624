package io.jfmi.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfmi.worker.launch.RankProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
            try (WatchedRanks ranks = new WatchedRanks(spec, line -> line.contains("soak started"))) {
                assertTrue(ranks.reached.await(60, TimeUnit.SECONDS), "ranks never started: " + ranks.lines);
                Thread.sleep(500);
                long killedAt = System.nanoTime();
                ranks.processes.get(2).destroyForcibly(); // SIGKILL: no goodbye, no clean socket shutdown by the JVM
                for (int r : new int[] {0, 1, 3}) {
                    assertTrue(ranks.processes.get(r).waitFor(25, TimeUnit.SECONDS), "rank " + r
                            + " hung after the kill: " + ranks.lines);
                    assertEquals(2, ranks.processes.get(r).exitValue(), "rank " + r + " exit code; output: "
                            + ranks.lines);
                }
                long ms = (System.nanoTime() - killedAt) / 1_000_000;
                for (int r : new int[] {0, 1, 3}) {
                    String failure = ranks.failureOf(r, "it-kill");
                    assertTrue(failure.contains("rank 2"), "rank " + r + " should name rank 2: " + failure);
                }
                assertTrue(ms < 25_000, "took " + ms + " ms");
                Files.writeString(dir.resolve("kill-output.txt"), String.join("\n", ranks.lines));
            }
        }
    }
}
